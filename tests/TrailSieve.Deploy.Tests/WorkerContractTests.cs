using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;

namespace TrailSieve.Deploy.Tests;

/// <summary>WorkerContract against the worker itself: a renamed option, default or metric fails here, not in a deployment.</summary>
public sealed class WorkerContractTests
{
    [Fact]
    public void Defaults_EqualTheWorkersOptionDefaults()
    {
        var sqs = new SqsOptions();

        Assert.Equal(sqs.DrainTimeout, TimeSpan.FromSeconds(WorkerContract.DefaultDrainTimeoutSeconds));
        Assert.Equal(sqs.VisibilityTimeout, TimeSpan.FromSeconds(WorkerContract.DefaultVisibilityTimeoutSeconds));
        Assert.Equal(sqs.ExtensionThreshold, TimeSpan.FromSeconds(WorkerContract.DefaultExtensionThresholdSeconds));
        Assert.Equal(WorkerContract.DefaultMetricsNamespace, new MetricsOptions().Namespace);
    }

    [Fact]
    public void OptionVariables_AreTheConfigurationKeysOfTheOptionsClasses()
    {
        Assert.Equal($"{SqsOptions.SectionName}__{nameof(SqsOptions.QueueUrl)}", WorkerContract.QueueUrlVariable);
        Assert.Equal($"{SqsOptions.SectionName}__{nameof(SqsOptions.VisibilityTimeout)}", WorkerContract.VisibilityTimeoutVariable);
        Assert.Equal($"{SqsOptions.SectionName}__{nameof(SqsOptions.DrainTimeout)}", WorkerContract.DrainTimeoutVariable);
        Assert.Equal($"{OutputOptions.SectionName}__{nameof(OutputOptions.Prefix)}", WorkerContract.OutputPrefixVariable);
        Assert.Equal($"{OutputOptions.SectionName}__{nameof(OutputOptions.KeyTemplate)}", WorkerContract.OutputKeyTemplateVariable);
        Assert.Equal($"{OutputOptions.SectionName}__{nameof(OutputOptions.MaxAge)}", WorkerContract.OutputMaxAgeVariable);
        Assert.Equal($"{DetectionsOptions.SectionName}__{nameof(DetectionsOptions.Source)}", WorkerContract.DetectionsSourceVariable);
        Assert.Equal($"{DetectionsOptions.SectionName}__{nameof(DetectionsOptions.S3Path)}", WorkerContract.DetectionsS3PathVariable);
        Assert.Equal($"{OutputOptions.SectionName}__{nameof(OutputOptions.Encryption)}", WorkerContract.OutputEncryptionVariable);
        Assert.Equal($"{OutputOptions.SectionName}__{nameof(OutputOptions.KmsKeyId)}", WorkerContract.OutputKmsKeyVariable);
        Assert.Equal($"{BackfillOptions.SectionName}__{nameof(BackfillOptions.CheckpointPrefix)}", WorkerContract.BackfillCheckpointPrefixVariable);
        Assert.Equal($"{PipelineOptions.SectionName}__{nameof(PipelineOptions.ReadParallelism)}", WorkerContract.ReadParallelismVariable);
        Assert.True(Enum.TryParse<OutputEncryption>("Kms", out _));
        Assert.True(Enum.TryParse<RulesSource>("s3", ignoreCase: true, out _));
        Assert.True(Enum.TryParse<RulesSource>("local", ignoreCase: true, out _));
    }

    [Theory]
    [InlineData(WorkerContract.OutputBucketVariable, "Output:Bucket")]
    [InlineData(WorkerContract.RulesSourceVariable, "Rules:Source")]
    [InlineData(WorkerContract.RulesFileVariable, "Rules:File")]
    [InlineData(WorkerContract.RulesS3PathVariable, "Rules:S3Path")]
    [InlineData(WorkerContract.DetectionsFileVariable, "Detections:File")]
    [InlineData(WorkerContract.MetricsNamespaceVariable, "Metrics:Namespace")]
    public void LegacyVariables_AreMappedByTheWorker(string variable, string key)
    {
        // LegacyEnvironment is internal to the worker; reflection keeps this test honest without widening its API.
        var type = typeof(SqsOptions).Assembly.GetType("TrailSieve.Worker.Hosting.LegacyEnvironment", throwOnError: true)!;
        var map = type.GetMethod("Map", BindingFlags.Public | BindingFlags.Static)!;
        Func<string, string?> environment = name => name == variable ? "value" : null;

        var result = (Dictionary<string, string?>)map.Invoke(null, [environment])!;

        Assert.Equal("value", result[key]);
    }

    [Fact]
    public void MetricNames_AreTheOnesTheEmfPublisherWrites()
    {
        Assert.Equal(WorkerContract.ErrorsMetric, TrailSieveMetrics.CloudWatchNames["trailsieve.errors"].Name);
        Assert.Contains(TrailSieveMetrics.CloudWatchNames.Values, v => v.Name == "RecordsProcessed");
    }

    [Theory]
    [InlineData("detection", WorkerContract.DetectionDimension)]
    [InlineData("severity", WorkerContract.SeverityDimension)]
    [InlineData("error.type", WorkerContract.ErrorTypeDimension)]
    public void DimensionNames_AreWhatTheEmfPublisherMakesOfTheTags(string tag, string dimension)
    {
        // The detections counter (trailsieve.findings, tags detection and severity) is not in the worker yet: this
        // pins how the EMF publisher will name it, so the Findings alarm and dashboard query the right dimensions.
        var naming = typeof(SqsOptions).Assembly.GetType("TrailSieve.Worker.Diagnostics.Emf.EmfNaming", throwOnError: true)!;

        var isNameTag = (bool)naming.GetMethod("IsNameTag")!.Invoke(null, [tag])!;
        var name = (string)naming.GetMethod("DimensionName")!.Invoke(null, [tag])!;

        Assert.False(isNameTag);
        Assert.Equal(dimension, name);
    }

    [Fact]
    public void FindingsMetric_IsTheNameTheEmfPublisherGivesTrailsieveFindings()
    {
        var naming = typeof(SqsOptions).Assembly.GetType("TrailSieve.Worker.Diagnostics.Emf.EmfNaming", throwOnError: true)!;
        using var meter = new Meter("TrailSieve.Deploy.Tests");
        var counter = meter.CreateCounter<long>("trailsieve.findings", "{finding}");

        var (name, unit) = ((string, string))naming.GetMethod("MetricOf")!.Invoke(null, [counter])!;

        Assert.Equal(WorkerContract.FindingsMetric, name);
        Assert.Equal("Count", unit);
    }

    [Fact]
    public void JsonLogs_TheWorkersFormatter_WritesTheLevelUnderTheFieldTheLogFilterReads()
    {
        // Given the service host the worker builds with TRAILSIEVE_LOG_FORMAT=json (internal: reached by reflection,
        // as above, rather than widening the worker's API)
        var serviceHost = typeof(SqsOptions).Assembly.GetType("TrailSieve.Worker.Hosting.ServiceHost", throwOnError: true)!;
        var build = serviceHost.GetMethod("Build", BindingFlags.Public | BindingFlags.Static)!;
        Func<string, string?> environment = name => name == WorkerContract.LogFormatVariable ? "json" : null;
        using var host = (Microsoft.Extensions.Hosting.IHost)build.Invoke(null, [new Dictionary<string, string?>(), environment, null, null])!;
        var formatter = host.Services.GetServices<Microsoft.Extensions.Logging.Console.ConsoleFormatter>().Single(f => f.Name == "json");

        // When it formats an error
        using var line = new StringWriter();
        var entry = new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(
            Microsoft.Extensions.Logging.LogLevel.Error, "TrailSieve.Test", new Microsoft.Extensions.Logging.EventId(103), "state", null, (s, _) => s);
        formatter.Write(entry, null, line);

        // Then the level is a field of that name, with the level's name
        using var json = System.Text.Json.JsonDocument.Parse(line.ToString());
        Assert.Equal("Error", json.RootElement.GetProperty(WorkerContract.JsonLogLevelField).GetString());
    }
}
