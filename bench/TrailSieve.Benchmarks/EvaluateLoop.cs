using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;

namespace TrailSieve.Benchmarks;

/// <summary>
/// A plain loop over <see cref="CompiledRuleSet.Evaluate(ReadOnlySpan{byte}, out EvaluatedFields, Span{int}, out int)"/>,
/// without BenchmarkDotNet, for bench/instructions.sh: run under valgrind twice with different iteration counts, the
/// difference divided by the extra evaluations is the instructions per record, start-up and JIT excluded. Instruction
/// counts do not move with the load on a shared machine, where wall-clock timings do.
/// </summary>
internal static class EvaluateLoop
{
    /// <summary>
    /// <c>--evaluate-loop RULES.yaml none|packs|PATH ITERATIONS</c>: evaluates the benchmark records that many times,
    /// with no detections, the shipped packs, or the detection files or Sigma folder at PATH.
    /// </summary>
    public static int Run(string[] args)
    {
        if (args.Length != 3 || !(args[1] is "none" or "packs" || Path.Exists(args[1])) || !int.TryParse(args[2], out var iterations) || iterations < 0)
        {
            Console.Error.WriteLine("usage: --evaluate-loop RULES.yaml none|packs|PATH ITERATIONS");
            return 2;
        }

        var rules = RuleSetLoader.LoadFile(args[0]);
        if (args[1] == "packs")
        {
            rules = rules.WithDetections(DetectionSetLoader.LoadFiles(
                Directory.EnumerateFiles(Path.Combine(BenchData.RepoRoot, "rules", "detections"), "*.yaml").Order(StringComparer.Ordinal)));
        }
        else if (args[1] != "none")
        {
            rules = rules.WithDetections(DetectionSetLoader.LoadFiles([args[1]]));
        }

        var records = BenchData.SplitRecords();
        var hits = new int[rules.DetectionCount];
        long kept = 0;
        for (var i = 0; i < iterations; i++)
        {
            foreach (var record in records)
            {
                if (rules.Evaluate(record, out _, hits, out _).Action == RuleAction.Keep)
                {
                    kept++;
                }
            }
        }

        Console.WriteLine($"evaluated {records.Length} records x {iterations} with {rules.DetectionCount} detections: kept {kept}");
        return 0;
    }
}
