using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// Alarms (to the SNS topic <c>alarmTopicArn</c> when given) and the dashboard.
/// </summary>
/// <remarks>
/// The worker publishes <c>Errors</c> only per <c>ErrorType</c> and <c>Findings</c> only per <c>Detection</c> and
/// <c>Severity</c>: no series without those dimensions exists, and alarms cannot use SEARCH. Both alarms therefore
/// use a CloudWatch Metrics Insights query (<c>SELECT SUM(...) FROM "namespace" ...</c>), which sums every series of
/// the metric whatever its dimensions (also with fixed <c>Metrics:Dimensions</c>), filtered by Severity for findings.
/// Metrics Insights' WHERE takes conditions joined by AND only, and an alarm can hold a single Metrics Insights query
/// (so no sum of two), hence <c>Severity != 'low' AND Severity != 'medium'</c> for "high or critical".
/// The Errors metric comes from a running worker; a task that crash-loops at start never emits it. The task errors
/// alarm counts the log group's Error and Critical lines instead (the JSON logs' level field), and the lines an
/// exception nothing caught leaves, through metric filters on the log group the service and backfill tasks share.
/// </remarks>
internal sealed class Monitoring : Construct
{
    /// <summary>The metric the log group's metric filters publish, in the stack's namespace.</summary>
    public const string ErrorLogEventsMetric = "ErrorLogEvents";

    public Monitoring(Construct scope, string id, DeploySettings settings, NotificationQueue queue, ILogGroup logGroup)
        : base(scope, id)
    {
        var topic = settings.AlarmTopicArn is { } arn ? Topic.FromTopicArn(this, "AlarmTopic", arn) : null;
        var minute = Duration.Minutes(1);

        DeadLetters = Add(topic, new Alarm(this, "DeadLetters", new AlarmProps
        {
            AlarmDescription = "TrailSieve: messages in the dead-letter queue (poison or repeatedly failing notifications)",
            Metric = queue.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = minute, Statistic = "Maximum" }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        OldestMessage = Add(topic, new Alarm(this, "OldestMessage", new AlarmProps
        {
            AlarmDescription = string.Create(CultureInfo.InvariantCulture, $"TrailSieve: the oldest queued message is older than {settings.OldestMessageAlarmSeconds} s (falling behind or stopped)"),
            Metric = queue.Queue.MetricApproximateAgeOfOldestMessage(new MetricOptions { Period = minute, Statistic = "Maximum" }),
            Threshold = settings.OldestMessageAlarmSeconds,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 5,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        Errors = Add(topic, new Alarm(this, "Errors", new AlarmProps
        {
            AlarmDescription = "TrailSieve: the worker reported errors (any ErrorType) in 3 of the last 5 minutes",
            Metric = new MathExpression(new MathExpressionProps
            {
                Expression = ErrorsQuery(settings.MetricsNamespace),
                Label = "Errors",
                Period = minute,
                UsingMetrics = new Dictionary<string, IMetric>(),
            }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 5,
            DatapointsToAlarm = 3,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        // Two filters, one metric: the alarm sums them. JSON lines at Error or Critical, from any task of the stack;
        // and the plain-text line of a crash (the runtime's, or the command line's default handler's).
        _ = new MetricFilter(this, "ErrorLogLines", new MetricFilterProps
        {
            LogGroup = logGroup,
            FilterPattern = ErrorLinesPattern,
            MetricNamespace = settings.MetricsNamespace,
            MetricName = ErrorLogEventsMetric,
            MetricValue = "1",
        });
        _ = new MetricFilter(this, "CrashLines", new MetricFilterProps
        {
            LogGroup = logGroup,
            FilterPattern = FilterPattern.AllTerms(WorkerContract.UnhandledExceptionText),
            MetricNamespace = settings.MetricsNamespace,
            MetricName = ErrorLogEventsMetric,
            MetricValue = "1",
        });
        TaskErrors = Add(topic, new Alarm(this, "TaskErrors", new AlarmProps
        {
            AlarmDescription = "TrailSieve: a task logged an error or crashed (Error/Critical log lines, or an unhandled exception) in the last 5 minutes; also a task that fails at start and never reports metrics",
            Metric = new Metric(new MetricProps
            {
                Namespace = settings.MetricsNamespace,
                MetricName = ErrorLogEventsMetric,
                Statistic = "Sum",
                Period = Duration.Minutes(5),
            }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        Findings = Add(topic, new Alarm(this, "Findings", new AlarmProps
        {
            AlarmDescription = "TrailSieve: a detection of severity high or critical fired (see alerts/ in the output bucket)",
            Metric = new MathExpression(new MathExpressionProps
            {
                Expression = FindingsQuery(settings.MetricsNamespace),
                Label = "High and critical findings",
                Period = Duration.Minutes(5),
                UsingMetrics = new Dictionary<string, IMetric>(),
            }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
    }

    public Alarm DeadLetters { get; }

    public Alarm OldestMessage { get; }

    public Alarm Errors { get; }

    public Alarm Findings { get; }

    public Alarm TaskErrors { get; }

    /// <summary>JSON log lines whose level is Error or Critical.</summary>
    public static IFilterPattern ErrorLinesPattern { get; } = FilterPattern.Any(
        FilterPattern.StringValue("$." + WorkerContract.JsonLogLevelField, "=", "Error"),
        FilterPattern.StringValue("$." + WorkerContract.JsonLogLevelField, "=", "Critical"));

    public static string ErrorsQuery(string metricNamespace) =>
        $"SELECT SUM({WorkerContract.ErrorsMetric}) FROM \"{metricNamespace}\"";

    public static string FindingsQuery(string metricNamespace) =>
        $"SELECT SUM({WorkerContract.FindingsMetric}) FROM \"{metricNamespace}\" WHERE "
        + string.Join(" AND ", WorkerContract.QuietSeverities.Select(s => $"{WorkerContract.SeverityDimension} != '{s}'"));

    private static Alarm Add(ITopic? topic, Alarm alarm)
    {
        if (topic is not null)
        {
            alarm.AddAlarmAction(new SnsAction(topic));
            alarm.AddOkAction(new SnsAction(topic));
        }

        return alarm;
    }
}
