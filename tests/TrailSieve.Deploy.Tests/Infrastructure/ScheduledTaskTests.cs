using TrailSieve.Deploy.Infrastructure;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
public sealed class ScheduledTaskTests(DefaultTemplate defaults)
{
    [Fact]
    public void ReportSchedule_Default_RunsAt0300UtcOnTheFirstOfEachMonth()
    {
        var rule = Properties(defaults.Resources("AWS::Events::Rule").Single().Resource);
        var target = rule["Targets"]!.AsArray().Single()!;

        Assert.Equal("cron(0 3 1 * ? *)", (string?)rule["ScheduleExpression"]);
        Assert.Equal(defaults.LogicalId("AWS::ECS::TaskDefinition", "MonthlyReportTaskDefinition"), (string?)target["EcsParameters"]!["TaskDefinitionArn"]!["Ref"]);
        Assert.Equal(defaults.LogicalId("AWS::ECS::Cluster", "WorkerCluster"), (string?)target["Arn"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void ReportTask_Default_CommandReportsThePreviousMonthOfTheOutputWithItsFindingsIntoReports()
    {
        var command = Json.Strings(defaults.Container("MonthlyReportTaskDefinition")["Command"]);

        Assert.Equal(
            [
                "report", "--month", "previous", "--data", $"s3://{StackContexts.OutputBucket}/records/",
                "--findings", $"s3://{StackContexts.OutputBucket}/alerts/", "--out", $"s3://{StackContexts.OutputBucket}/reports/",
            ],
            command);
    }

    [Fact]
    public void ReportTask_Default_ReadsFindingsWhereTheWorkerWritesThem()
    {
        // The service and backfill write findings under Detections:AlertsPrefix of the output bucket, not under the
        // records prefix: the report must be pointed there, or it looks in records/alerts/ and never shows any.
        var command = Json.Strings(defaults.Container("MonthlyReportTaskDefinition")["Command"]).ToList();
        var environment = defaults.Environment("WorkerTaskDefinition");

        Assert.False(environment.ContainsKey("Detections__AlertsPrefix"));
        Assert.Equal($"s3://{StackContexts.OutputBucket}/{new Worker.Options.DetectionsOptions().AlertsPrefix}", command[command.IndexOf("--findings") + 1]);
    }

    [Fact]
    public void BackfillTask_Default_CommandCoversTheSourcePrefixAndItsEnvironmentIsTheServices()
    {
        var command = Json.Strings(defaults.Container("BackfillTaskDefinition")["Command"]);
        var backfill = defaults.Environment("BackfillTaskDefinition");
        var service = defaults.Environment("WorkerTaskDefinition");

        Assert.Equal(BackfillTask.DefaultCommand(defaults.Settings), command);
        Assert.Equal(["backfill", "--bucket", StackContexts.SourceBucket, "--prefix", "AWSLogs/"], command);
        Assert.Equal(service.Keys.Order(), backfill.Keys.Order());
        Assert.Null(defaults.Container("BackfillTaskDefinition")["HealthCheck"]);
        Assert.Contains(defaults.Json["Outputs"]!.AsObject(), o => o.Key.StartsWith("BackfillTaskDefinitionArn", StringComparison.Ordinal));
    }
}
