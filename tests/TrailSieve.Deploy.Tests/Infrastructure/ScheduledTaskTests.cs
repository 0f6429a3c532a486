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
    public void ReportTask_Default_CommandReportsThePreviousMonthOfTheOutputIntoReports()
    {
        var command = Json.Strings(defaults.Container("MonthlyReportTaskDefinition")["Command"]);

        Assert.Equal(
            ["report", "--month", "previous", "--data", $"s3://{StackContexts.OutputBucket}/records/", "--out", $"s3://{StackContexts.OutputBucket}/reports/"],
            command);
    }

    [Fact]
    public void BackfillTask_Default_CommandCoversTheSourcePrefixAndItsEnvironmentIsTheServicesPlusCheckpointsAndEightReaders()
    {
        var command = Json.Strings(defaults.Container("BackfillTaskDefinition")["Command"]);
        var backfill = defaults.Environment("BackfillTaskDefinition");
        var service = defaults.Environment("WorkerTaskDefinition");

        Assert.Equal(BackfillTask.DefaultCommand(defaults.Settings), command);
        Assert.Equal(["backfill", "--bucket", StackContexts.SourceBucket, "--prefix", "AWSLogs/"], command);
        Assert.Equal(service.Keys.Append(WorkerContract.BackfillCheckpointPrefixVariable).Append(WorkerContract.ReadParallelismVariable).Order(), backfill.Keys.Order());
        Assert.Equal($"s3://{StackContexts.OutputBucket}/checkpoints/", Json.Flat(backfill[WorkerContract.BackfillCheckpointPrefixVariable]));
        Assert.Equal("8", Json.Flat(backfill[WorkerContract.ReadParallelismVariable]));
        Assert.DoesNotContain(WorkerContract.ReadParallelismVariable, service.Keys);
        Assert.Null(defaults.Container("BackfillTaskDefinition")["HealthCheck"]);
        Assert.Contains(defaults.Json["Outputs"]!.AsObject(), o => o.Key.StartsWith("BackfillTaskDefinitionArn", StringComparison.Ordinal));
    }
}
