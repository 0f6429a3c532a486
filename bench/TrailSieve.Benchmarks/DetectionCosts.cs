using System.Diagnostics;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;

namespace TrailSieve.Benchmarks;

/// <summary>
/// Which detection files cost the most to evaluate: each file of a folder (a Sigma rule, or a detection pack) is added
/// alone to the rules, and the time per record over the benchmark records is compared with the rules alone (best of
/// three passes of ITERATIONS each, so a busy machine moves it less). Wall-clock nanoseconds on one thread: a ranking
/// to find what to speed up, not a figure to quote (instructions.sh gives those).
/// </summary>
internal static class DetectionCosts
{
    /// <summary><c>--detection-costs RULES.yaml FOLDER ITERATIONS</c>: one line per file, the costliest first.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 3 || !Directory.Exists(args[1]) || !int.TryParse(args[2], out var iterations) || iterations < 1)
        {
            Console.Error.WriteLine("usage: --detection-costs RULES.yaml FOLDER ITERATIONS");
            return 2;
        }

        var rules = RuleSetLoader.LoadFile(args[0]);
        var records = BenchData.SplitRecords();
        var baseline = NanosecondsPerRecord(rules, records, iterations);
        var costs = new List<(string File, double Extra, int Hits)>();
        foreach (var file in DetectionSetLoader.ExpandPaths([args[1]]))
        {
            var with = rules.WithDetections(DetectionSetLoader.LoadFiles([file]));
            var hits = new int[with.DetectionCount];
            foreach (var record in records)
            {
                with.Evaluate(record, out _, hits, out _);
            }

            costs.Add((Path.GetFileName(file), NanosecondsPerRecord(with, records, iterations) - baseline, hits.Sum()));
        }

        Console.WriteLine($"rules alone: {baseline:F0} ns per record over {records.Length} records");
        foreach (var (file, extra, hitCount) in costs.OrderByDescending(c => c.Extra))
        {
            Console.WriteLine($"{extra,8:F0} ns  {100 * extra / baseline,6:F1} %  hits {hitCount,5}  {file}");
        }

        Console.WriteLine($"sum of the extras: {costs.Sum(c => c.Extra):F0} ns ({100 * costs.Sum(c => c.Extra) / baseline:F1} %)");
        return 0;
    }

    private static double NanosecondsPerRecord(CompiledRuleSet rules, byte[][] records, int iterations)
    {
        var hits = new int[rules.DetectionCount];
        var best = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                foreach (var record in records)
                {
                    rules.Evaluate(record, out _, hits, out _);
                }
            }

            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / (iterations * (double)records.Length));
        }

        return best;
    }
}
