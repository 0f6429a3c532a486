using System.Text.Json.Nodes;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class MonitoringTests(DefaultTemplate defaults, VariantTemplate variant)
{
    private static readonly string[] s_alarms = ["MonitoringDeadLetters", "MonitoringOldestMessage", "MonitoringErrors", "MonitoringFindings", "MonitoringTaskErrors"];

    [Fact]
    public void DeadLetterAlarm_Default_FiresOnAnyVisibleMessageInTheDlq()
    {
        var alarm = Properties(defaults.Resource("AWS::CloudWatch::Alarm", "MonitoringDeadLetters"));

        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)alarm["MetricName"]);
        Assert.Equal("AWS/SQS", (string?)alarm["Namespace"]);
        Assert.Equal(defaults.LogicalId("AWS::SQS::Queue", "NotificationsDeadLetterQueue"), (string?)alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(0, (int)alarm["Threshold"]!);
    }

    [Fact]
    public void OldestMessageAlarm_AnyVariant_UsesTheConfiguredThresholdOnTheMainQueue()
    {
        var alarm = Properties(defaults.Resource("AWS::CloudWatch::Alarm", "MonitoringOldestMessage"));

        Assert.Equal("ApproximateAgeOfOldestMessage", (string?)alarm["MetricName"]);
        Assert.Equal(defaults.LogicalId("AWS::SQS::Queue", "NotificationsQueue"), (string?)alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]);
        Assert.Equal(900, (int)alarm["Threshold"]!);
        Assert.Equal(600, (int)Properties(variant.Resource("AWS::CloudWatch::Alarm", "MonitoringOldestMessage"))["Threshold"]!);
    }

    [Fact]
    public void ErrorsAlarm_AnyVariant_SumsEveryErrorsSeriesOfTheNamespace()
    {
        Assert.Equal("SELECT SUM(Errors) FROM \"TrailSieve\"", Query(defaults, "MonitoringErrors"));
        Assert.Equal("SELECT SUM(Errors) FROM \"Acme/TrailSieve\"", Query(variant, "MonitoringErrors"));
    }

    [Fact]
    public void FindingsAlarm_Default_CountsOnlyHighAndCriticalFindingsWithAndOnly()
    {
        var alarm = Properties(defaults.Resource("AWS::CloudWatch::Alarm", "MonitoringFindings"));

        // Metrics Insights' WHERE joins conditions with AND only, and an alarm holds one query: high or critical is
        // written as neither low nor medium
        Assert.Equal("SELECT SUM(Findings) FROM \"TrailSieve\" WHERE Severity != 'low' AND Severity != 'medium'", Query(defaults, "MonitoringFindings"));
        Assert.Single(alarm["Metrics"]!.AsArray());
        Assert.Equal(300, (int)alarm["Metrics"]![0]!["Period"]!);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(0, (int)alarm["Threshold"]!);
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("variant")]
    public void MetricsInsightsQueries_AnyVariant_UseNoOr(string which)
    {
        SynthesizedTemplate stack = which == "default" ? defaults : variant;
        var queries = stack.Resources("AWS::CloudWatch::Alarm")
            .SelectMany(a => Json.Many(Properties(a.Resource)["Metrics"]))
            .Select(m => (string?)m["Expression"])
            .Where(e => e is not null && e.StartsWith("SELECT", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(2, queries.Count);
        Assert.All(queries, q => Assert.DoesNotMatch(@"(?i)\bOR\b", q!));
    }

    [Fact]
    public void AlarmSeverities_WithTheQuietOnes_AreEverySeverityADetectionCanHave()
    {
        // Excluding the quiet severities means "high or critical" only while those are all the severities there are
        var all = typeof(Core.Detections.Severity).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(all.Order(), WorkerContract.AlarmingSeverities.Concat(WorkerContract.QuietSeverities).Order());
        Assert.Empty(WorkerContract.AlarmingSeverities.Intersect(WorkerContract.QuietSeverities));
    }

    [Fact]
    public void TaskErrorsAlarm_Default_CountsErrorAndCriticalLogLinesAndCrashesOfTheServiceLogGroup()
    {
        // Given the log metric filters and the task errors alarm
        var logGroup = defaults.LogicalId("AWS::Logs::LogGroup", "WorkerLogs");
        var filters = defaults.Resources("AWS::Logs::MetricFilter").Select(f => Properties(f.Resource)).ToList();
        var alarm = Properties(defaults.Resource("AWS::CloudWatch::Alarm", "MonitoringTaskErrors"));

        // Then both filters read the service log group (the backfill and report tasks log there too) into one metric
        Assert.Equal(2, filters.Count);
        Assert.All(filters, f => Assert.Equal(logGroup, (string?)f["LogGroupName"]!["Ref"]));
        Assert.All(filters, f =>
        {
            var transformation = f["MetricTransformations"]!.AsArray().Single()!;
            Assert.Equal("TrailSieve", (string?)transformation["MetricNamespace"]);
            Assert.Equal("ErrorLogEvents", (string?)transformation["MetricName"]);
            Assert.Equal("1", (string?)transformation["MetricValue"]);
        });

        // And one matches the JSON logs' level field at Error or Critical, the other the line of an unhandled exception
        var patterns = filters.Select(f => (string)f["FilterPattern"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal("\"Unhandled exception\"", patterns[0]);
        Assert.Equal("{ ($.LogLevel = \"Error\") || ($.LogLevel = \"Critical\") }", patterns[1]);

        // And the alarm fires on any of them in five minutes
        Assert.Equal("TrailSieve", (string?)alarm["Namespace"]);
        Assert.Equal("ErrorLogEvents", (string?)alarm["MetricName"]);
        Assert.Equal("Sum", (string?)alarm["Statistic"]);
        Assert.Equal(300, (int)alarm["Period"]!);
        Assert.Equal(0, (int)alarm["Threshold"]!);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
    }

    [Fact]
    public void TaskErrorsAlarm_Variant_UsesTheConfiguredNamespace()
    {
        var alarm = Properties(variant.Resource("AWS::CloudWatch::Alarm", "MonitoringTaskErrors"));

        Assert.Equal("Acme/TrailSieve", (string?)alarm["Namespace"]);
        Assert.All(
            variant.Resources("AWS::Logs::MetricFilter"),
            f => Assert.Equal("Acme/TrailSieve", (string?)Properties(f.Resource)["MetricTransformations"]![0]!["MetricNamespace"]));
    }

    [Fact]
    public void Environment_Default_TheServiceAndBackfillLogJsonForTheLogFilter()
    {
        foreach (var task in (string[])["WorkerTaskDefinition", "BackfillTaskDefinition"])
        {
            Assert.Equal("json", Json.Flat(defaults.Environment(task)[WorkerContract.LogFormatVariable]));
        }
    }

    [Fact]
    public void AlarmActions_NoTopic_NoAlarmHasActions()
    {
        foreach (var id in s_alarms)
        {
            var alarm = Properties(defaults.Resource("AWS::CloudWatch::Alarm", id));
            Assert.Null(alarm["AlarmActions"]);
            Assert.Null(alarm["OKActions"]);
        }
    }

    [Fact]
    public void AlarmActions_WithTopic_EveryAlarmNotifiesTheTopic()
    {
        foreach (var id in s_alarms)
        {
            var alarm = Properties(variant.Resource("AWS::CloudWatch::Alarm", id));
            Assert.Equal([StackContexts.AlarmTopicArn], Json.Strings(alarm["AlarmActions"]));
            Assert.Equal([StackContexts.AlarmTopicArn], Json.Strings(alarm["OKActions"]));
        }
    }

    [Fact]
    public void Dashboard_Default_BindsQueueAndRegionAndLeavesNoPlaceholder()
    {
        var text = Json.Flat(Properties(defaults.Resources("AWS::CloudWatch::Dashboard").Single().Resource)["DashboardBody"]);
        var widgets = JsonNode.Parse(text)!["widgets"]!.AsArray();
        var queue = defaults.LogicalId("AWS::SQS::Queue", "NotificationsQueue");

        Assert.DoesNotContain("QUEUE_NAME", text, StringComparison.Ordinal);
        Assert.All(widgets, w => Assert.Equal("${AWS::Region}", (string?)w!["properties"]!["region"]));
        var sqsLines = Lines(widgets).Where(l => l[0]?.ToString() == "AWS/SQS").ToList();
        Assert.NotEmpty(sqsLines);
        Assert.All(sqsLines, l => Assert.Equal($"${{{queue}.QueueName}}", l[3]!.ToString()));
        Assert.Contains(Lines(widgets), l => l[0]?.ToString() == "ECS/ContainerInsights" && l[1]!.ToString() == "RunningTaskCount");
    }

    [Fact]
    public void Dashboard_Variant_UsesTheConfiguredNamespace()
    {
        var text = Json.Flat(Properties(variant.Resources("AWS::CloudWatch::Dashboard").Single().Resource)["DashboardBody"]);
        var widgets = JsonNode.Parse(text)!["widgets"]!.AsArray();
        var custom = Lines(widgets).Where(l => l[0] is JsonValue v && v.ToString() is var ns && !ns.StartsWith("AWS/", StringComparison.Ordinal) && !ns.StartsWith("ECS/", StringComparison.Ordinal)).ToList();

        Assert.Contains(custom, l => l[1]!.ToString() == "RecordsProcessed");
        Assert.All(custom, l => Assert.Equal("Acme/TrailSieve", l[0]!.ToString()));
        var expressions = Lines(widgets).Where(l => l[0] is JsonObject).Select(l => (string)l[0]!["expression"]!).ToList();
        Assert.Contains(expressions, e => e.StartsWith("SEARCH('{Acme/TrailSieve,ErrorType} MetricName=\"Errors\"'", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.StartsWith("SEARCH('{Acme/TrailSieve,Detection,Severity} MetricName=\"Findings\"'", StringComparison.Ordinal));
    }

    /// <summary>Every metric line of every widget (an array whose first element is a namespace or an expression object).</summary>
    private static IEnumerable<JsonArray> Lines(JsonArray widgets) =>
        widgets.SelectMany(w => w!["properties"]!["metrics"]!.AsArray()).Select(l => l!.AsArray());

    private static string? Query(SynthesizedTemplate stack, string alarmId)
    {
        var metrics = Properties(stack.Resource("AWS::CloudWatch::Alarm", alarmId))["Metrics"]!.AsArray();
        return (string?)metrics.Single()!["Expression"];
    }
}
