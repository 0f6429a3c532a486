using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Rules;
using TrailSieve.Worker.S3;
using TrailSieve.Worker.Ssm;

namespace TrailSieve.Worker.Tests.Detections;

/// <summary>The service's side: configuration of detections, and the rules provider compiling them in.</summary>
public sealed class DetectionsServiceTests : IDisposable
{
    private static readonly string s_threats = Path.Combine(RepoPaths.Root, "rules", "detections", "threats.yaml");
    private static readonly string s_highRisk = Path.Combine(RepoPaths.Root, "rules", "detections", "high-risk.yaml");
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-detections-service-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Build_DetectionsFileEnvironment_BindsEveryFileAndTheDefaults()
    {
        // Given DETECTIONS_FILE naming both packs
        var environment = new Dictionary<string, string?> { ["DETECTIONS_FILE"] = $"{s_threats}, {s_highRisk}" };

        // When the host is built
        using var host = ServiceHost.Build(new Dictionary<string, string?>(), name => environment.GetValueOrDefault(name));
        var options = host.Services.GetRequiredService<IOptions<DetectionsOptions>>().Value;

        // Then both files are configured, with the documented defaults
        Assert.True(options.Enabled);
        Assert.Equal([s_threats, s_highRisk], options.ListFiles());
        Assert.Equal(("alerts/", TimeSpan.FromMinutes(15), 100_000), (options.AlertsPrefix, options.Lateness, options.MaxGroups));
        var logged = EffectiveConfiguration.Describe(new SqsOptions(), new PipelineOptions(), new OutputOptions(), new RulesOptions(), new HealthOptions(), options);
        Assert.Contains("Detections:AlertsPrefix=alerts/ Detections:Lateness=00:15:00 Detections:MaxGroups=100000", logged, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Detections:Source", "S3", "Detections:S3Path: is required")]
    [InlineData("Detections:MaxGroups", "0", "MaxGroups")]
    [InlineData("Detections:AlertsPrefix", "/alerts/", "must not start with '/'")]
    public void Build_InvalidDetectionsOptions_FailValidationNamingTheSetting(string key, string value, string expected)
    {
        // Given an invalid detections setting
        using var host = ServiceHost.Build(new Dictionary<string, string?> { [key] = value }, _ => null);

        // When the options are read (as ValidateOnStart does)
        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<DetectionsOptions>>().Value);

        // Then the failure names the setting
        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_RulesAndDetections_CompiledIntoOneSet()
    {
        // Given a rules file and both packs
        var provider = Provider(Path.Combine(RepoPaths.Root, "rules", "default.yaml"), $"{s_threats},{s_highRisk}");

        // When the provider loads
        await provider.LoadAsync(CancellationToken.None);

        // Then the rule set in force carries the rules and all 21 detections
        Assert.Equal(9, provider.Current.RuleNames.Count);
        Assert.Equal(21, provider.Current.DetectionCount);
    }

    [Fact]
    public async Task LoadAsync_SigmaMinimumLevelConfigured_LeavesOutTheRulesBelowIt()
    {
        // Given Detections:SigmaMinimumLevel=high (as the environment sets it) and a folder of a low and a high Sigma rule
        using var host = ServiceHost.Build(new Dictionary<string, string?> { ["Detections:SigmaMinimumLevel"] = "high" }, _ => null);
        var level = host.Services.GetRequiredService<IOptions<DetectionsOptions>>().Value.SigmaMinimumLevel;
        var folder = Path.Combine(_dir, "sigma");
        Directory.CreateDirectory(folder);
        foreach (var (name, sigmaLevel) in new[] { ("low", "low"), ("high", "high") })
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".yml"), $$"""
                title: {{name}} rule
                level: {{sigmaLevel}}
                logsource: { product: aws, service: cloudtrail }
                detection: { selection: { eventName: {{name}} }, condition: selection }
                """);
        }

        // When the provider loads with that level
        var provider = Provider(Path.Combine(RepoPaths.Root, "rules", "default.yaml"), folder, level);
        await provider.LoadAsync(CancellationToken.None);

        // Then only the high rule is in force
        Assert.Equal(Core.Detections.SigmaLevel.High, level);
        Assert.Equal(["high rule"], provider.Current.DetectionSet.Detections.Select(d => d.Name));
    }

    [Fact]
    public async Task LoadAsync_InvalidDetectionFile_FailsTheLoad_AndAReloadKeepsTheLastGoodSet()
    {
        // Given valid rules and a detection file that becomes invalid after the first load
        var detections = Path.Combine(_dir, "d.yaml");
        await File.WriteAllTextAsync(detections, "detections: [{ name: d, severity: low, matches: [{ field_name: a, equals: b }] }]");
        var provider = Provider(Path.Combine(RepoPaths.Root, "rules", "default.yaml"), detections);
        await provider.LoadAsync(CancellationToken.None);
        await File.WriteAllTextAsync(detections, "detections: [{ name: d, severity: severe, matches: [{ field_name: a, equals: b }] }]");

        // When it is loaded and reloaded
        var ex = Assert.IsType<RuleValidationException>((await Assert.ThrowsAsync<RulesLoadException>(() => provider.LoadAsync(CancellationToken.None))).InnerException);
        await provider.ReloadAsync(CancellationToken.None);

        // Then the load names the problem, and the reload kept the last good set
        Assert.Contains(ex.Errors, e => e.Contains("severity: unknown value 'severe'", StringComparison.Ordinal));
        Assert.Equal(1, provider.Current.DetectionCount);
    }

    private ReloadingRuleSetProvider Provider(string rules, string detections, Core.Detections.SigmaLevel sigmaMinimumLevel = Core.Detections.SigmaLevel.Informational)
    {
        var detectionsOptions = new DetectionsOptions { File = detections, SigmaMinimumLevel = sigmaMinimumLevel };
        var text = new ConfigTextReader(
            new S3TextReader(() => throw new InvalidOperationException("no S3"), ResiliencePipeline.Empty),
            new SsmParameterReader(() => throw new InvalidOperationException("no SSM"), ResiliencePipeline.Empty));
        return new ReloadingRuleSetProvider(
            new RulesTextSource(new RulesOptions { File = rules }, text),
            new DetectionsSource(detectionsOptions, text),
            new TrailSieveMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<ReloadingRuleSetProvider>.Instance);
    }
}
