using TrailSieve.Deploy.Settings;
using TrailSieve.Deploy.Tests.TestSupport;

namespace TrailSieve.Deploy.Tests.Settings;

public sealed class DeploySettingsTests
{
    [Fact]
    public void FromContext_OnlyRequiredKeys_TakesTheDefaults()
    {
        var settings = Read(StackContexts.Default());

        Assert.Equal(StackContexts.SourceBucket, settings.SourceBucketName);
        Assert.Equal("AWSLogs/", settings.SourcePrefix);
        Assert.Equal(NotificationSource.S3, settings.NotificationSource);
        Assert.Equal("records/", settings.OutputPrefix);
        Assert.Equal(1, settings.MinTasks);
        Assert.Equal(10, settings.MaxTasks);
        Assert.Equal(20, settings.MessagesPerTaskPerSecond);
        Assert.Equal(300, settings.AcceptableLatencySeconds);
        Assert.Equal(25, settings.DrainTimeoutSeconds);
        Assert.Equal(5, settings.MaxReceiveCount);
        Assert.False(settings.FargateSpot);
    }

    [Fact]
    public void BacklogPerTaskTarget_Defaults_IsSixThousand()
    {
        Assert.Equal(6000, Read(StackContexts.Default()).BacklogPerTaskTarget);
    }

    [Theory]
    [InlineData(25, 40)]
    [InlineData(5, 30)]
    [InlineData(105, 120)]
    public void StopTimeoutSeconds_DrainTimeout_IsDrainPlusMarginAtLeastThirty(int drain, int expected)
    {
        var context = StackContexts.Default();
        context["drainTimeoutSeconds"] = drain;

        Assert.Equal(expected, Read(context).StopTimeoutSeconds);
    }

    [Theory]
    [InlineData("sourceBucketName")]
    [InlineData("imageRepositoryUri")]
    [InlineData("imageTag")]
    public void FromContext_RequiredKeyMissing_FailsNamingTheKey(string key)
    {
        var context = StackContexts.Default();
        context.Remove(key);

        var error = Assert.Throws<InvalidContextException>(() => Read(context));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_SnsWithoutTopic_FailsNamingSourceTopicArn()
    {
        var context = StackContexts.Default();
        context["notificationSource"] = "sns";

        var error = Assert.Throws<InvalidContextException>(() => Read(context));

        Assert.Contains("'sourceTopicArn'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sourceBucketName", "Not_A_Bucket")]
    [InlineData("notificationSource", "eventbridge")]
    [InlineData("sourcePrefix", "/AWSLogs/")]
    [InlineData("outputPrefix", "records")]
    [InlineData("outputPrefix", "reports/")]
    [InlineData("outputPrefix", "checkpoints/")]
    [InlineData("outputKmsKeyArn", "alias/aws/s3")]
    [InlineData("sourceKmsKeyArns", "arn:aws:kms:eu-west-1:123456789012:key/abc,not-a-key")]
    [InlineData("imageRepositoryUri", "docker.io/trailsieve")]
    [InlineData("imageTag", "bad tag")]
    [InlineData("rulesS3Path", "bucket/key")]
    [InlineData("detections", "threats.yaml")]
    [InlineData("cpu", "300")]
    [InlineData("memoryMiB", "1024")]
    [InlineData("fargateSpot", "maybe")]
    [InlineData("maxTasks", "0")]
    [InlineData("minTasks", "-1")]
    [InlineData("messagesPerTaskPerSecond", "fast")]
    [InlineData("acceptableLatencySeconds", "0")]
    [InlineData("drainTimeoutSeconds", "106")]
    [InlineData("visibilityTimeoutSeconds", "90")]
    [InlineData("logRetentionDays", "31")]
    [InlineData("metricsNamespace", "AWS/SQS")]
    [InlineData("alarmTopicArn", "ops-alarms")]
    [InlineData("glueTableName", "CloudTrail")]
    [InlineData("projectionAccounts", "12345")]
    [InlineData("projectionRegions", "Europe")]
    [InlineData("projectionFirstYear", "2012")]
    [InlineData("reportEphemeralStorageGiB", "19")]
    [InlineData("reportEphemeralStorageGiB", "201")]
    public void FromContext_InvalidValue_FailsNamingTheKey(string key, string value)
    {
        var context = StackContexts.Default();
        context[key] = value;

        var error = Assert.Throws<InvalidContextException>(() => Read(context));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_MinTasksAboveMaxTasks_FailsNamingMinTasks()
    {
        var context = StackContexts.Default();
        context["minTasks"] = "5";
        context["maxTasks"] = "4";

        var error = Assert.Throws<InvalidContextException>(() => Read(context));

        Assert.Contains("'minTasks'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ImageAssetInsteadOfRepository_NeedsNoRepositoryOrTag()
    {
        var context = StackContexts.Default();
        context.Remove("imageRepositoryUri");
        context.Remove("imageTag");
        context["imageAssetDirectory"] = "../..";

        var settings = Read(context);

        Assert.True(settings.ImageFromAsset);
    }

    [Fact]
    public void FromContext_BootstraplessWithImageAsset_FailsNamingBootstrapless()
    {
        var context = StackContexts.Default();
        context.Remove("imageRepositoryUri");
        context["imageAssetDirectory"] = "../..";
        context["bootstrapless"] = "true";

        var error = Assert.Throws<InvalidContextException>(() => Read(context));

        Assert.Contains("'bootstrapless'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ListAsArrayOrCommaText_ReadsTheSameValues()
    {
        var text = StackContexts.Default();
        text["projectionRegions"] = "eu-west-1, us-east-1";
        var array = StackContexts.Default();
        array["projectionRegions"] = new object[] { "eu-west-1", "us-east-1" };

        Assert.Equal(["eu-west-1", "us-east-1"], Read(text).ProjectionRegions);
        Assert.Equal(["eu-west-1", "us-east-1"], Read(array).ProjectionRegions);
    }

    private static DeploySettings Read(Dictionary<string, object> context) =>
        DeploySettings.FromContext(key => context.GetValueOrDefault(key));
}
