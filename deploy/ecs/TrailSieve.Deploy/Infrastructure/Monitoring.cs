using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
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
/// </remarks>
internal sealed class Monitoring : Construct
{
    public Monitoring(Construct scope, string id, DeploySettings settings, NotificationQueue queue)
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

    public static string ErrorsQuery(string metricNamespace) =>
        $"SELECT SUM({WorkerContract.ErrorsMetric}) FROM \"{metricNamespace}\"";

    public static string FindingsQuery(string metricNamespace) =>
        $"SELECT SUM({WorkerContract.FindingsMetric}) FROM \"{metricNamespace}\" WHERE "
        + string.Join(" OR ", WorkerContract.AlarmingSeverities.Select(s => $"{WorkerContract.SeverityDimension} = '{s}'"));

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
