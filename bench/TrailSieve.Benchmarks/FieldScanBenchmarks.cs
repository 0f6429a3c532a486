using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TrailSieve.Core.Rules;

namespace TrailSieve.Benchmarks;

/// <summary>
/// What a SIMD field scan could give the rule evaluator, per record (one operation = one record): the product's
/// validating Utf8JsonReader pass with no rules (keep-all, which still finds the <see cref="EvaluatedFields"/>),
/// the floor's Utf8JsonReader skip over the record, and <see cref="StructuralFieldScan"/>, which finds the same fields
/// with the block scan's masks but validates nothing (a ceiling, see there).
/// </summary>
[MemoryDiagnoser]
public class FieldScanBenchmarks
{
    private byte[][] _records = [];

    [GlobalSetup]
    public void Setup()
    {
        _records = BenchData.SplitRecords();
        foreach (var record in _records)
        {
            CompiledRuleSet.KeepAll.Evaluate(record, out var expected);
            var found = StructuralFieldScan.Scan(record);
            if (found.AwsRegion.Equals(expected.AwsRegion) is false || found.EventTime.Equals(expected.EventTime) is false || found.EventId.Equals(expected.EventId) is false)
            {
                throw new InvalidOperationException($"the structural scan found {found}, the evaluator {expected}");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BenchData.Records)]
    public int Evaluate_KeepAll()
    {
        var n = 0;
        foreach (var record in _records)
        {
            CompiledRuleSet.KeepAll.Evaluate(record, out var fields);
            n += fields.EventTime.End.Value;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = BenchData.Records)]
    public int Utf8JsonReader_Skip()
    {
        var n = 0;
        foreach (var record in _records)
        {
            var reader = new Utf8JsonReader(record);
            reader.Read();
            reader.Skip();
            n += (int)reader.BytesConsumed;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = BenchData.Records)]
    public int StructuralFieldScan_NotValidating()
    {
        var n = 0;
        foreach (var record in _records)
        {
            n += StructuralFieldScan.Scan(record).EventTime.End.Value;
        }

        return n;
    }
}
