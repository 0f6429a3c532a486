using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Benchmarks;

/// <summary>
/// Reading one generated CloudTrail file of 2,500 records from memory, single-threaded. Each operation reads the
/// whole file, so the "raw MB/s" column compares with the floor (../shared/tools/floor), whose own single-thread
/// steps (gunzip, gunzip + Utf8JsonReader scan) are reproduced here as baselines.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class RecordReaderBenchmarks
{
    private static readonly Func<RecordChunk, CancellationToken, ValueTask> s_discard = static (chunk, _) =>
    {
        chunk.Dispose();
        return ValueTask.CompletedTask;
    };

    private byte[] _gzip = [];
    private byte[] _plain = [];

    [GlobalSetup]
    public void Setup()
    {
        _gzip = BenchData.Gzip;
        _plain = BenchData.Plain;
    }

    /// <summary>The floor's "inflate" step: gunzip into a growing buffer.</summary>
    [Benchmark]
    [BenchmarkCategory("gzip")]
    public long Floor_Inflate()
    {
        using var gz = new GZipStream(new MemoryStream(_gzip), CompressionMode.Decompress);
        var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.Length;
    }

    /// <summary>The floor's "scan" step: gunzip, then a Utf8JsonReader pass finding each record.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("gzip")]
    public long Floor_InflateScan()
    {
        using var gz = new GZipStream(new MemoryStream(_gzip), CompressionMode.Decompress);
        var ms = new MemoryStream();
        gz.CopyTo(ms);
        var reader = new Utf8JsonReader(ms.GetBuffer().AsSpan(0, (int)ms.Length));
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

    /// <summary>The product's file reader on the gzip file: DecodingStream + PipeReader + document reader + chunk copies.</summary>
    [Benchmark]
    [BenchmarkCategory("gzip")]
    public async Task<long> FileReader_Gzip()
    {
        var result = await CloudTrailFileReader.ReadAsync(new MemoryStream(_gzip), RecordReaderOptions.Default, s_discard, CancellationToken.None);
        return result.Records;
    }

    /// <summary>The product's file reader on the same document uncompressed (no inflate cost).</summary>
    [Benchmark]
    [BenchmarkCategory("plain")]
    public async Task<long> FileReader_Plain()
    {
        var result = await CloudTrailFileReader.ReadAsync(new MemoryStream(_plain), RecordReaderOptions.Default, s_discard, CancellationToken.None);
        return result.Records;
    }

    /// <summary>The document reader alone over the whole document in one segment: the record-splitting cost.</summary>
    [Benchmark]
    [BenchmarkCategory("plain")]
    public long DocumentReader_Plain()
    {
        var buffer = new ReadOnlySequence<byte>(_plain);
        var state = default(CloudTrailReaderState);
        long bytes = 0;
        while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinalBlock: true, RecordReaderOptions.Default, out var record))
        {
            bytes += record.Length;
        }

        return state.RecordCount + bytes;
    }

    /// <summary>The floor's scan alone over the uncompressed document, for comparison with <see cref="DocumentReader_Plain"/>.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("plain")]
    public long Floor_Scan_Plain()
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

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn());
            AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        }
    }
}
