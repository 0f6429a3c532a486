using System.Buffers;
using System.Text.Json;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Rules;

namespace TrailSieve.Benchmarks;

/// <summary>
/// A plain loop over one scan of the benchmark document, without BenchmarkDotNet, to count its instructions under
/// valgrind like <see cref="EvaluateLoop"/>: two runs with different iteration counts, the difference divided by the
/// extra iterations is the cost of one pass, start-up and JIT excluded, whatever the load on the machine.
/// </summary>
internal static class ScanLoop
{
    private static readonly RecordReaderOptions s_scalar = new() { ScalarBoundaryScan = true };

    /// <summary>
    /// <c>--scan-loop WHAT ITERATIONS</c>, WHAT one of: split-block, split-scalar (the document reader with each
    /// boundary scan), floor-scan (the floor's Utf8JsonReader scan of the document), keep-all, default (evaluation
    /// of every record with no rules, with rules/default.yaml), structural-fields (<see cref="StructuralFieldScan"/>).
    /// </summary>
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], out var iterations) || iterations < 0)
        {
            Console.Error.WriteLine("usage: --scan-loop split-block|split-scalar|floor-scan|keep-all|default|structural-fields ITERATIONS");
            return 2;
        }

        var plain = BenchData.Plain;
        var records = BenchData.SplitRecords();
        Func<long> pass = args[0] switch
        {
            "split-block" => () => Split(plain, RecordReaderOptions.Default),
            "split-scalar" => () => Split(plain, s_scalar),
            "floor-scan" => () => FloorScan(plain),
            "keep-all" => () => Evaluate(records, CompiledRuleSet.KeepAll),
            "default" => () => Evaluate(records, RuleSetLoader.LoadFile(Path.Combine(BenchData.RepoRoot, "rules", "default.yaml"))),
            "structural-fields" => () => records.Sum(r => (long)StructuralFieldScan.Scan(r).EventTime.End.Value),
            _ => () => throw new InvalidOperationException($"unknown scan {args[0]}"),
        };

        long total = 0;
        for (var i = 0; i < iterations; i++)
        {
            total += pass();
        }

        Console.WriteLine($"{args[0]}: {iterations} passes over {plain.Length} bytes ({records.Length} records): {total}");
        return 0;
    }

    private static long Split(byte[] plain, RecordReaderOptions options)
    {
        var buffer = new ReadOnlySequence<byte>(plain);
        var state = default(CloudTrailReaderState);
        long bytes = 0;
        while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinalBlock: true, options, out var record))
        {
            bytes += record.Length;
        }

        return state.RecordCount + bytes;
    }

    private static long FloorScan(byte[] plain)
    {
        var reader = new Utf8JsonReader(plain);
        long records = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 2)
            {
                reader.Skip();
                records++;
            }
        }

        return records;
    }

    private static long Evaluate(byte[][] records, CompiledRuleSet rules)
    {
        long kept = 0;
        foreach (var record in records)
        {
            kept += rules.Evaluate(record, out _).Action == RuleAction.Keep ? 1 : 0;
        }

        return kept;
    }
}
