using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Benchmarks;

/// <summary>
/// Record splitting alone, the block scan (64 bytes at a time, StructuralMasks) against the scalar scan it replaced
/// (RecordReaderOptions.ScalarBoundaryScan) and the floor's Utf8JsonReader scan, in one process so the three see the
/// same load: the uncompressed document of <see cref="BenchData"/> in one segment, and in 4 KiB segments as a pipe
/// hands it over.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class BoundaryScanBenchmarks
{
    private static readonly RecordReaderOptions s_scalar = new() { ScalarBoundaryScan = true };

    private byte[] _plain = [];
    private ReadOnlySequence<byte> _segmented;

    [GlobalSetup]
    public void Setup()
    {
        _plain = BenchData.Plain;
        _segmented = Segmented(_plain, 4096);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("one-segment")]
    public long Floor_Scan()
    {
        var reader = new Utf8JsonReader(_plain);
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

    [Benchmark]
    [BenchmarkCategory("one-segment")]
    public long BlockScan() => Split(new ReadOnlySequence<byte>(_plain), RecordReaderOptions.Default);

    [Benchmark]
    [BenchmarkCategory("one-segment")]
    public long ScalarScan() => Split(new ReadOnlySequence<byte>(_plain), s_scalar);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("4k-segments")]
    public long Floor_Scan_Segments()
    {
        var reader = new Utf8JsonReader(_segmented);
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

    [Benchmark]
    [BenchmarkCategory("4k-segments")]
    public long BlockScan_Segments() => Split(_segmented, RecordReaderOptions.Default);

    [Benchmark]
    [BenchmarkCategory("4k-segments")]
    public long ScalarScan_Segments() => Split(_segmented, s_scalar);

    private static long Split(ReadOnlySequence<byte> buffer, RecordReaderOptions options)
    {
        var state = default(CloudTrailReaderState);
        long bytes = 0;
        while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinalBlock: true, options, out var record))
        {
            bytes += record.Length;
        }

        return state.RecordCount + bytes;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] data, int size)
    {
        var first = new Segment(data.AsMemory(0, Math.Min(size, data.Length)), 0);
        var last = first;
        for (var at = size; at < data.Length; at += size)
        {
            last = last.Append(data.AsMemory(at, Math.Min(size, data.Length - at)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn());
            AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        }
    }
}
