using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Rules;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Rules;

namespace TrailSieve.Worker.Tests.Rules;

/// <summary>The rules in force: the first load, and the timed refresh that keeps the last good set, for each source.</summary>
public sealed class ReloadingRuleSetProviderTests : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(5);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    public static TheoryData<RulesSource> Sources => [RulesSource.Local, RulesSource.S3, RulesSource.Ssm];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task RefreshEveryAsync_UpdateThenBrokenThenFixed_PicksUpGoodSetsAndKeepsTheLastGoodOne(RulesSource kind)
    {
        // Given rules loaded from the source, refreshed every 5 minutes on a fake clock
        var time = new FakeTimeProvider();
        var reader = new ScriptedReader(Rules("first"));
        var (provider, metrics) = Provider(Location(kind), reader);
        using var reloads = new MetricCollector<long>(metrics.Meter, "trailsieve.rules.reloads");
        await provider.LoadAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var refreshing = provider.RefreshEveryAsync(s_interval, time, stop.Token);

        // When the source changes and the clock reaches the interval
        reader.Next = _ => Rules("second");
        await AdvanceUntilAsync(time, () => Count(reloads, "success") >= 1);

        // Then the new set is in force, read from the configured location
        Assert.Equal(["second"], provider.Current.RuleNames);
        Assert.All(reader.Locations, l => AssertLocation(kind, l));

        // When the source becomes a file that no longer compiles
        reader.Next = _ => "rules:\n  - name: broken\n    action: explode\n";
        await AdvanceUntilAsync(time, () => Count(reloads, "failure") >= 1);

        // Then the failure is counted and the last good set stays
        Assert.Equal(["second"], provider.Current.RuleNames);

        // When the source cannot be read at all
        reader.Next = _ => throw new IOException("connection reset");
        await AdvanceUntilAsync(time, () => Count(reloads, "failure") >= 2);
        Assert.Equal(["second"], provider.Current.RuleNames);

        // When it is fixed, the fixed set is picked up
        reader.Next = _ => Rules("third");
        await AdvanceUntilAsync(time, () => provider.Current.RuleNames.SequenceEqual(["third"]));
        await stop.CancelAsync();
        await refreshing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RefreshEveryAsync_ClockBeforeTheInterval_DoesNotRead()
    {
        // Given a loaded provider refreshing every 5 minutes
        var time = new FakeTimeProvider();
        var reader = new ScriptedReader(Rules("first"));
        var (provider, _) = Provider(new RulesOptions { File = "rules.yaml" }, reader);
        await provider.LoadAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var refreshing = provider.RefreshEveryAsync(s_interval, time, stop.Token);

        // When the clock moves to just before the interval (timers on a fake clock fire inside Advance)
        reader.Next = _ => Rules("second");
        time.Advance(s_interval - TimeSpan.FromSeconds(1));

        // Then nothing was read again
        Assert.Equal(1, reader.Reads);
        Assert.Equal(["first"], provider.Current.RuleNames);
        await stop.CancelAsync();
        await refreshing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(RulesSource.Local, "Rules:File", "/etc/trailsieve/rules.yaml")]
    [InlineData(RulesSource.S3, "Rules:S3Path", "s3://config-bucket/rules/trailsieve.yaml")]
    [InlineData(RulesSource.Ssm, "Rules:SsmParameter", "ssm:/trailsieve/rules")]
    public async Task LoadAsync_SourceUnreadable_ProblemNamesTheSettingAndTheSource(RulesSource kind, string setting, string source)
    {
        var reader = new ScriptedReader(_ => throw new IOException("gone"));
        var (provider, _) = Provider(Location(kind), reader);

        var ex = await Assert.ThrowsAsync<RulesLoadException>(() => provider.LoadAsync(CancellationToken.None));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(setting, problem.Setting);
        Assert.Equal($"{source} cannot be read: gone", problem.Problem);
        Assert.Throws<InvalidOperationException>(() => provider.Current);
    }

    [Fact]
    public async Task LoadAsync_InvalidRules_OneProblemPerError()
    {
        var reader = new ScriptedReader("rules:\n  - name: a\n    action: explode\n  - action: drop\n");
        var (provider, _) = Provider(new RulesOptions { File = "/etc/rules.yaml" }, reader);

        var ex = await Assert.ThrowsAsync<RulesLoadException>(() => provider.LoadAsync(CancellationToken.None));

        Assert.Equal(Assert.IsType<RuleValidationException>(ex.InnerException).Errors.Count, ex.Problems.Count);
        Assert.True(ex.Problems.Count >= 2);
        Assert.All(ex.Problems, p => Assert.Equal("Rules:File", p.Setting));
        Assert.All(ex.Problems, p => Assert.StartsWith("/etc/rules.yaml is invalid: ", p.Problem, StringComparison.Ordinal));
    }

    internal static string Rules(string name) => $"""
        default_action: keep
        rules:
          - name: {name}
            action: drop
            matches:
              - field_name: eventName
                equals: {name}
        """;

    internal static RulesOptions Location(RulesSource kind) => kind switch
    {
        RulesSource.S3 => new RulesOptions { Source = RulesSource.S3, S3Path = "s3://config-bucket/rules/trailsieve.yaml" },
        RulesSource.Ssm => new RulesOptions { Source = RulesSource.Ssm, SsmParameter = "/trailsieve/rules" },
        _ => new RulesOptions { File = "/etc/trailsieve/rules.yaml" },
    };

    private static void AssertLocation(RulesSource kind, RulesOptions location)
    {
        Assert.Equal(kind, location.Source);
        switch (kind)
        {
            case RulesSource.S3:
                Assert.Equal(("config-bucket", "rules/trailsieve.yaml"), location.S3Location());
                break;
            case RulesSource.Ssm:
                Assert.Equal("/trailsieve/rules", location.SsmParameter);
                break;
            default:
                Assert.Equal("/etc/trailsieve/rules.yaml", location.File);
                break;
        }
    }

    private static int Count(MetricCollector<long> reloads, string result) =>
        reloads.GetMeasurementSnapshot().Count(m => Equals(m.Tags["result"], result));

    /// <summary>Moves the clock an interval at a time until <paramref name="condition"/> holds; fails after 10 s of real time.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the refresh did not happen");
            time.Advance(s_interval);
            await Task.Yield();
        }
    }

    private (ReloadingRuleSetProvider Provider, TrailSieveMetrics Metrics) Provider(RulesOptions location, IConfigTextReader reader)
    {
        var metrics = new TrailSieveMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var provider = new ReloadingRuleSetProvider(
            new RulesTextSource(location, reader),
            new DetectionsSource(new DetectionsOptions(), reader),
            metrics,
            NullLogger<ReloadingRuleSetProvider>.Instance);
        return (provider, metrics);
    }

    /// <summary>An <see cref="IConfigTextReader"/> whose answer the test sets: the text, or an exception thrown from <see cref="Next"/>.</summary>
    private sealed class ScriptedReader(Func<RulesOptions, string> next) : IConfigTextReader
    {
        private int _reads;

        public ScriptedReader(string text)
            : this(_ => text)
        {
        }

        public Func<RulesOptions, string> Next { get; set; } = next;

        public int Reads => Volatile.Read(ref _reads);

        public System.Collections.Concurrent.ConcurrentQueue<RulesOptions> Locations { get; } = new();

        public Task<string> ReadAsync(RulesOptions location, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            Locations.Enqueue(location);
            return Task.FromResult(Next(location));
        }
    }
}
