using TrailSieve.Deploy.Infrastructure;
using TrailSieve.Deploy.Settings;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class ScheduledTaskTests(DefaultTemplate defaults, VariantTemplate variant)
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
                "--spool-limit", "10GiB",
            ],
            command);
    }

    [Fact]
    public void ReportTask_Default_FargatesDefaultStorage_HalfOfItTheSpoolLimit_SseS3()
    {
        var definition = Properties(defaults.Resource("AWS::ECS::TaskDefinition", "MonthlyReportTaskDefinition"));
        var environment = defaults.Environment("MonthlyReportTaskDefinition");

        Assert.Null(definition["EphemeralStorage"]);
        Assert.Equal("S3", (string?)environment["Output__Encryption"]);
        Assert.False(environment.ContainsKey("Output__KmsKeyId"));
    }

    [Fact]
    public void ReportTask_Variant_AskedStorage_HalfOfItTheSpoolLimit_SseKmsWithTheOutputKey()
    {
        // The report writes its pages (and nothing else) with the output's encryption, as the service writes records
        var definition = Properties(variant.Resource("AWS::ECS::TaskDefinition", "MonthlyReportTaskDefinition"));
        var command = Json.Strings(variant.Container("MonthlyReportTaskDefinition")["Command"]).ToList();
        var environment = variant.Environment("MonthlyReportTaskDefinition");

        Assert.Equal(100, (int)definition["EphemeralStorage"]!["SizeInGiB"]!);
        Assert.Equal("50GiB", command[command.IndexOf("--spool-limit") + 1]);
        Assert.Equal("Kms", (string?)environment["Output__Encryption"]);
        Assert.Equal(StackContexts.OutputKeyArn, (string?)environment["Output__KmsKeyId"]);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("variant")]
    public void ReportTask_AnyVariant_CommandIsOneTheWorkersCommandLineAccepts(string which)
    {
        // The worker's own parser (internal: reached by reflection, as WorkerContractTests does) reads the command
        var stack = which == "default" ? (SynthesizedTemplate)defaults : variant;
        var command = Json.Strings(stack.Container("MonthlyReportTaskDefinition")["Command"]).ToArray();
        var create = typeof(Worker.Options.OutputOptions).Assembly.GetType("TrailSieve.Worker.Cli.TrailSieveCommand", throwOnError: true)!.GetMethod("Create")!;
        var root = (System.CommandLine.RootCommand)create.Invoke(null, null)!;

        var parse = root.Parse(command);

        Assert.Empty(parse.Errors);
        Assert.Equal("report", parse.CommandResult.Command.Name);
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

    [Theory]
    [InlineData("default")]
    [InlineData("variant")]
    public void BackfillTask_AnyVariant_StopTimeoutIsFargatesLongest(string which)
    {
        // Backfill finishes what is in flight, flushes and saves its checkpoint on SIGTERM: a Spot interruption leaves
        // two minutes, and the service's drain-sized stopTimeout would cut that short
        var stack = which == "default" ? (SynthesizedTemplate)defaults : variant;

        Assert.Equal(DeploySettings.MaxStopTimeoutSeconds, (int)stack.Container("BackfillTaskDefinition")["StopTimeout"]!);
    }
}
