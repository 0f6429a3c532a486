using System.Buffers;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Benchmarks;

/// <summary>
/// The two gzip codecs (<c>Pipeline:Compression</c>) on one generated CloudTrail file, single-threaded: inflating it
/// whole, deflating it whole at the output's default level (Fastest), deflating its records one write each as the
/// filter workers do, and the product's file reader on it. The "raw MB/s" column is uncompressed JSON per second, the
/// unit of RecordReaderBenchmarks and the floor.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class CodecBenchmarks
{
    private static readonly Func<RecordChunk, CancellationToken, ValueTask> s_discard = static (chunk, _) =>
    {
        chunk.Dispose();
        return ValueTask.CompletedTask;
    };

    private byte[] _gzip = [];
    private byte[] _plain = [];
    private byte[][] _records = [];
    private GzipCodec _codec = GzipCodec.Zlib;
    private RecordReaderOptions _readerOptions = RecordReaderOptions.Default;
    private readonly ArrayBufferWriter<byte> _inflated = new(8 * 1024 * 1024);
    private readonly MemoryStream _deflated = new(2 * 1024 * 1024);

    [Params("zlib", "isal")]
    public string Codec { get; set; } = "zlib";

    [GlobalSetup]
    public void Setup()
    {
        _gzip = BenchData.Gzip;
        _plain = BenchData.Plain;
        _records = BenchData.SplitRecords();
        _codec = Codec == "isal"
            ? GzipCodec.Isal ?? throw new InvalidOperationException($"ISA-L cannot be loaded: {GzipCodec.IsalUnavailableReason}")
            : GzipCodec.Zlib;
        _readerOptions = new RecordReaderOptions { Codec = _codec };
    }

    /// <summary>Gunzip of the whole file into a reused buffer (the floor's "inflate" step).</summary>
    [Benchmark]
    [BenchmarkCategory("inflate")]
    public int Inflate()
    {
        _inflated.ResetWrittenCount();
        _codec.Decompress(_gzip, _inflated);
        return _inflated.WrittenCount;
    }

    /// <summary>The whole document compressed as one member at Fastest, in one write.</summary>
    [Benchmark]
    [BenchmarkCategory("deflate")]
    public long Deflate_Fastest()
    {
        _deflated.SetLength(0);
        _codec.Compress(_plain, _deflated, CompressionLevel.Fastest);
        return _deflated.Length;
    }

    /// <summary>Every record and a comma written one by one into one Fastest member, as a piece is built.</summary>
    [Benchmark]
    [BenchmarkCategory("deflate")]
    public long Deflate_FastestRecordByRecord()
    {
        _deflated.SetLength(0);
        using (var gzip = _codec.CreateCompressor(_deflated, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var record in _records)
            {
                gzip.Write(record);
                gzip.WriteByte((byte)',');
            }
        }

        return _deflated.Length;
    }

    /// <summary>The whole document at SmallestSize (zlib 9, ISA-L 3): what the ratio costs.</summary>
    [Benchmark]
    [BenchmarkCategory("deflate")]
    public long Deflate_SmallestSize()
    {
        _deflated.SetLength(0);
        _codec.Compress(_plain, _deflated, CompressionLevel.SmallestSize);
        return _deflated.Length;
    }

    /// <summary>The product's file reader on the gzip file with this codec (DecodingStream, PipeReader, record split).</summary>
    [Benchmark]
    [BenchmarkCategory("read")]
    public async Task<long> FileReader_Gzip()
    {
        var result = await CloudTrailFileReader.ReadAsync(new MemoryStream(_gzip), _readerOptions, s_discard, CancellationToken.None);
        return result.Records;
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
