using System.Text.Json.Nodes;
using TrailSieve.Core.Analytics;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Deploy.Settings;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class WorkerServiceTests(DefaultTemplate defaults, VariantTemplate variant)
{
    [Fact]
    public void TaskDefinitions_AnyVariant_RunOnArm64WithTheConfiguredSize()
    {
        var tasks = defaults.Resources("AWS::ECS::TaskDefinition").Select(t => Properties(t.Resource)).ToList();
        var variantService = Properties(variant.Resource("AWS::ECS::TaskDefinition", "WorkerTaskDefinition"));

        Assert.Equal(3, tasks.Count); // service, backfill, monthly report
        Assert.All(tasks, t =>
        {
            Assert.Equal("ARM64", (string?)t["RuntimePlatform"]!["CpuArchitecture"]);
            Assert.Equal("LINUX", (string?)t["RuntimePlatform"]!["OperatingSystemFamily"]);
            Assert.Equal("1024", (string?)t["Cpu"]);
            Assert.Equal("2048", (string?)t["Memory"]);
        });
        Assert.Equal("2048", (string?)variantService["Cpu"]);
        Assert.Equal("4096", (string?)variantService["Memory"]);
    }

    [Fact]
    public void Container_Default_HealthCheckRunsTrailsieveHealth()
    {
        var check = defaults.Container("WorkerTaskDefinition")["HealthCheck"]!;

        Assert.Equal(["CMD", "/app/trailsieve", "health"], Json.Strings(check["Command"]));
        Assert.Equal(30, (int)check["Interval"]!);
        Assert.Equal(5, (int)check["Timeout"]!);
        Assert.Equal(3, (int)check["Retries"]!);
        Assert.Equal(["run"], Json.Strings(defaults.Container("WorkerTaskDefinition")["Command"]));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("variant")]
    public void StopTimeout_AnyVariant_CoversTheDrainTimeoutPlusMarginWithinFargatesLimit(string which)
    {
        var stack = which == "default" ? (SynthesizedTemplate)defaults : variant;
        var container = stack.Container("WorkerTaskDefinition");
        var drain = TimeSpan.Parse((string)stack.Environment("WorkerTaskDefinition")[WorkerContract.DrainTimeoutVariable]!, System.Globalization.CultureInfo.InvariantCulture);

        var stopTimeout = (int)container["StopTimeout"]!;

        Assert.Equal(stack.Settings.DrainTimeoutSeconds, (int)drain.TotalSeconds);
        Assert.True(stopTimeout >= drain.TotalSeconds + DeploySettings.StopTimeoutMarginSeconds, $"stopTimeout {stopTimeout} s does not cover the drain {drain.TotalSeconds} s plus margin");
        Assert.InRange(stopTimeout, 30, DeploySettings.MaxStopTimeoutSeconds);
    }

    [Theory]
    [InlineData("default", "00:15:00")]
    [InlineData("variant", "00:05:00")]
    public void BatchMaxAge_IsPassedToTheWorkerAsOutputMaxAge(string which, string expected)
    {
        var stack = which == "default" ? (SynthesizedTemplate)defaults : variant;

        Assert.Equal(expected, (string)stack.Environment("WorkerTaskDefinition")[WorkerContract.OutputMaxAgeVariable]!);
    }

    [Fact]
    public void Environment_Default_UsesTheNamesTheWorkerReads()
    {
        var environment = defaults.Environment("WorkerTaskDefinition");

        Assert.Equal(defaults.LogicalId("AWS::SQS::Queue", "NotificationsQueue"), (string?)environment["Sqs__QueueUrl"]!["Ref"]);
        Assert.Equal(StackContexts.OutputBucket, (string?)environment["CLOUDTRAIL_OUTPUT_BUCKET_NAME"]);
        Assert.Equal("records/", (string?)environment["Output__Prefix"]);
        Assert.Equal(CloudTrailTable.HiveKeyTemplate, (string?)environment["Output__KeyTemplate"]);
        Assert.Equal("S3", (string?)environment["Output__Encryption"]);
        Assert.Equal("local", (string?)environment["CONFIG_SOURCE"]);
        Assert.Equal("/app/rules/default.yaml", (string?)environment["CONFIG_FILE"]);
        Assert.Equal("TrailSieve", (string?)environment["METRICS_NAMESPACE"]);
        Assert.Equal("00:05:00", (string?)environment["Sqs__VisibilityTimeout"]);
        Assert.False(environment.ContainsKey("Output__KmsKeyId"));
        Assert.Equal(WorkerContract.BundledDetectionFiles, (string?)environment["DETECTIONS_FILE"]);
        Assert.All(
            WorkerContract.BundledDetectionFiles.Split(','),
            file => Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "rules", "detections", Path.GetFileName(file))), $"{file} is not in rules/detections"));
    }

    [Fact]
    public void Environment_Variant_KmsOutputRulesFromS3AndCustomNamespace()
    {
        var environment = variant.Environment("WorkerTaskDefinition");

        Assert.Equal("Kms", (string?)environment["Output__Encryption"]);
        Assert.Equal(StackContexts.OutputKeyArn, (string?)environment["Output__KmsKeyId"]);
        Assert.Equal("s3", (string?)environment["CONFIG_SOURCE"]);
        Assert.Equal(StackContexts.RulesS3Path, (string?)environment["CONFIG_S3_PATH"]);
        Assert.Equal("s3", (string?)environment["Detections__Source"]);
        Assert.Equal(StackContexts.DetectionsS3Path, (string?)environment["Detections__S3Path"]);
        Assert.False(environment.ContainsKey("DETECTIONS_FILE"));
        Assert.False(environment.ContainsKey("CONFIG_FILE"));
        Assert.Equal("Acme/TrailSieve", (string?)environment["METRICS_NAMESPACE"]);
        Assert.Equal("filtered/", (string?)environment["Output__Prefix"]);
    }

    [Fact]
    public void Service_SpotOff_UsesTheFargateLaunchType()
    {
        var service = Properties(defaults.Resources("AWS::ECS::Service").Single().Resource);

        Assert.Equal("FARGATE", (string?)service["LaunchType"]);
        Assert.Null(service["CapacityProviderStrategy"]);
        Assert.Equal("ENABLED", (string?)service["NetworkConfiguration"]!["AwsvpcConfiguration"]!["AssignPublicIp"]);
        Assert.True((bool)service["DeploymentConfiguration"]!["DeploymentCircuitBreaker"]!["Rollback"]!);
    }

    [Fact]
    public void Service_SpotOn_UsesTheFargateSpotCapacityProviderOnceItIsAssociated()
    {
        var resource = variant.Resources("AWS::ECS::Service").Single().Resource;
        var service = Properties(resource);
        var association = variant.Resources("AWS::ECS::ClusterCapacityProviderAssociations").Single().Id;

        Assert.Null(service["LaunchType"]);
        var strategy = service["CapacityProviderStrategy"]!.AsArray().Single()!;
        Assert.Equal("FARGATE_SPOT", (string?)strategy["CapacityProvider"]);
        var providers = Properties(variant.Resources("AWS::ECS::ClusterCapacityProviderAssociations").Single().Resource)["CapacityProviders"];
        Assert.Contains("FARGATE_SPOT", Json.Strings(providers));
        Assert.Contains(association, Json.Strings(resource["DependsOn"]));
    }

    [Fact]
    public void Cluster_Default_HasContainerInsightsForRunningTaskCount()
    {
        var settings = Properties(defaults.Resources("AWS::ECS::Cluster").Single().Resource)["ClusterSettings"]!.AsArray();

        Assert.Contains(settings, s => (string?)s!["Name"] == "containerInsights" && (string?)s["Value"] == "enabled");
    }

    [Fact]
    public void Logs_AnyVariant_AwslogsToTheCreatedGroupWithRetention()
    {
        var group = defaults.Resources("AWS::Logs::LogGroup").Single();
        var logging = defaults.Container("WorkerTaskDefinition")["LogConfiguration"]!;

        Assert.Equal(30, (int)Properties(group.Resource)["RetentionInDays"]!);
        Assert.Equal(90, (int)Properties(variant.Resources("AWS::Logs::LogGroup").Single().Resource)["RetentionInDays"]!);
        Assert.Equal("awslogs", (string?)logging["LogDriver"]);
        Assert.Equal(group.Id, (string?)logging["Options"]!["awslogs-group"]!["Ref"]);
    }

    [Fact]
    public void Image_Default_IsTheTagOfTheEcrRepositoryAndTheExecutionRoleMayPullIt()
    {
        var image = Json.Flat(defaults.Container("WorkerTaskDefinition")["Image"]);
        var pull = defaults.RoleStatements("WorkerTaskDefinitionExecutionRole").Single(s => Json.Strings(s["Action"]).Contains("ecr:BatchGetImage"));

        Assert.Equal("123456789012.dkr.ecr.eu-west-1.${AWS::URLSuffix}/trailsieve:1.4.2", image);
        Assert.Equal("arn:aws:ecr:eu-west-1:123456789012:repository/trailsieve", (string?)pull["Resource"]);
    }

    [Fact]
    public void Image_Variant_IsBuiltFromTheAssetDirectoryForArm64()
    {
        var image = Json.Flat(variant.Container("WorkerTaskDefinition")["Image"]);
        var assembly = variant.App.Synth();
        var manifest = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(assembly.Directory, "TrailSieveVariant.assets.json").Single()))!;
        var docker = manifest["dockerImages"]!.AsObject().Single().Value!;

        Assert.Contains("container-assets", image, StringComparison.Ordinal);
        Assert.Equal("linux/arm64", (string?)docker["source"]!["platform"]);
    }
}
