using System.CommandLine;
using TrailSieve.Core.Detections;

namespace TrailSieve.Worker.Cli;

/// <summary>Options and arguments more than one command takes.</summary>
internal static class CommonOptions
{
    public static Option<string> Rules() => new("--rules", "-r")
    {
        Description = "The rules file (YAML or JSON; the formats of both Go Lambdas load unchanged).",
        Required = true,
    };

    public static Argument<string[]> Inputs() => new("INPUT")
    {
        Description = "CloudTrail files (.json.gz or .json; gzip is detected from the bytes) or folders, searched recursively.",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<int> Parallelism() => new("--parallelism", "-p")
    {
        Description = "Filter workers (default: the number of cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Log one line per file and per output on stderr.",
    };

    /// <summary>
    /// <c>--format</c> of the commands that write records (filter, run, backfill): Output:Format. Other commands' own
    /// <c>--format</c> (query's result format, athena-ddl's table format) mean something else.
    /// </summary>
    public static Option<Options.OutputFormat?> OutputFormat() => new("--format")
    {
        Description = "What kept records are written as: cloudtrail (gzip {\"Records\":[...]}, the default) or ocsf (OCSF 1.1.0 zstd Parquet in Security Lake's ext/<source>-<class>/region=/accountId=/eventDay=/ layout; batch mode) (Output:Format).",
    };

    public static Option<SigmaLevel> SigmaMinimumLevel() => new("--sigma-min-level")
    {
        Description = "Leave out Sigma rules below this level: informational (none left out), low, medium, high, critical. A rule below it that a kept correlation reads still feeds the correlation, without findings of its own (Detections:SigmaMinimumLevel).",
        DefaultValueFactory = _ => SigmaLevel.Informational,
    };

    public static Option<string[]> Detections() => new("--detections")
    {
        Description = "A detection file (detections: list), a Sigma rule file, or a folder of them; repeat for several. Every detection runs on every record, whatever the rules decide.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
