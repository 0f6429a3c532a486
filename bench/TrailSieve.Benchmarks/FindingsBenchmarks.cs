using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using TrailSieve.Worker.Detections;

namespace TrailSieve.Benchmarks;

/// <summary>
/// What a finding costs once its record has hit: <see cref="Raise"/> turns <see cref="Findings"/> generated records
/// that each hit one plain detection into finding lines (the record's key fields, the line, the embedded record), and
/// <see cref="Compress"/> gzips those lines as the filter worker does. One operation is one finding, so Mean is the
/// time per finding.
/// </summary>
[MemoryDiagnoser]
public class FindingsBenchmarks
{
    private const int Findings = 256;

    private static readonly FindingsLayout s_layout = new("alerts/", partitionByDay: true);
    private readonly List<(byte[] Record, EvaluatedFields Fields, int[] Hits)> _hitting = [];
    private CompiledRuleSet _rules = CompiledRuleSet.KeepAll;
    private ChunkFindings _raised = new();

    [GlobalSetup]
    public void Setup()
    {
        _rules = RuleSetLoader.LoadFile(Path.Combine(BenchData.RepoRoot, "rules", "default.yaml")).WithDetections(
            DetectionSetLoader.LoadFiles(Directory.EnumerateFiles(Path.Combine(BenchData.RepoRoot, "rules", "detections"), "*.yaml").Order(StringComparer.Ordinal)));
        var hits = new int[_rules.DetectionCount];
        foreach (var record in BenchData.SplitRecords())
        {
            _rules.Evaluate(record, out var fields, hits, out var count);
            if (count == 1 && _rules.DetectionSet.Detections[hits[0]].Threshold is null && _hitting.Count < Findings)
            {
                _hitting.Add((record, fields, hits[..1]));
            }
        }

        _raised = RaiseAll();
        if (_raised.Count != Findings)
        {
            throw new InvalidOperationException($"expected {Findings} findings from the generated records, raised {_raised.Count}");
        }
    }

    [Benchmark(OperationsPerInvoke = Findings)]
    public int Raise() => RaiseAll().Count;

    [Benchmark(OperationsPerInvoke = Findings)]
    public int Compress() => FindingPiece.Build(_raised, s_layout, GzipCodec.Zlib, CompressionLevel.Fastest).Count;

    private ChunkFindings RaiseAll()
    {
        var engine = new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 100_000));
        var findings = new ChunkFindings();
        foreach (var (record, fields, hits) in _hitting)
        {
            engine.Raise(_rules.DetectionSet, record, fields, hits, "bench/file.json.gz", findings);
        }

        return findings;
    }
}
