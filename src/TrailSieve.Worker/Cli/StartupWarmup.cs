using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Rules;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// Start-up work the second core can do while the first parses the command line: the one-time costs every command
/// that loads rules pays before its first record. Loading a small rule set runs YamlDotNet's parser for the first
/// time (its tag-handle regex is built with <c>RegexOptions.Compiled</c>, ~10 ms of IL emission), the rule compiler and
/// a <c>NonBacktracking</c> regex; evaluating one record warms the scanner; probing ISA-L loads <c>libisal.so.2</c>;
/// building the configuration loads its providers. Each is a type initialiser or a cache that the command's own
/// thread then finds ready (or waits for, never repeats), so the work moves to the idle core and nothing is
/// computed twice; a failure here changes nothing, the command meets it again and reports it as always.
/// </summary>
/// <remarks>
/// Measured on this 2-core machine (farm-bench, median of 15, paired): <c>filter --rules rules/default.yaml samples/</c>
/// 158 → 141 ms. Also writing and reading back a one-record gzip document (codec state, record reader) gave 141 →
/// 137 ms, within the noise, and is not done.
/// </remarks>
internal static class StartupWarmup
{
    private const string Rules = """
        rules:
          - name: warm-up
            matches:
              - field_name: eventName
                regex: "^(Describe|List)"
        """;

    private static readonly byte[] s_record = """{"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com"}"""u8.ToArray();

    /// <summary>The commands that load rules before their first record, which the warm-up prepares.</summary>
    private static readonly string[] s_commands = ["filter", "dryrun", "validate", "run", "backfill"];

    /// <summary>
    /// Starts the warm-up on a background thread for a command that loads rules; not for help or a version query, nor
    /// for the others (<c>health</c>, the container's health check every 30 s, must not spend a core on YAML and regexes).
    /// </summary>
    public static void Begin(string[] args)
    {
        if (args.Length == 0 || !s_commands.Contains(args[0], StringComparer.Ordinal) || args.Any(a => a is "-h" or "--help" or "-?" or "--version"))
        {
            return;
        }

        new Thread(Run) { IsBackground = true, Name = "trailsieve warm-up" }.Start();
    }

    /// <summary>The warm-up's work; throws what it meets (a test keeps its rule set loadable, or it would warm nothing).</summary>
    /// <returns>The warm-up rule set's decision on its record: drop (the record is a Describe).</returns>
    internal static RuleAction Warm()
    {
        _ = GzipCodec.IsalUnavailableReason;
        var decision = RuleSetLoader.Load(Rules, "warm-up").Evaluate(s_record, out _);
        _ = WorkerConfiguration.Build();
        return decision.Action;
    }

    private static void Run()
    {
        try
        {
            Warm();
        }
#pragma warning disable CA1031 // Nothing is done with the results: the command meets and reports any failure itself.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
