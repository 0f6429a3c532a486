using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using TrailSieve.Core.CloudTrail.Compression;

// The least work any CloudTrail filter must do, per codec: the same steps and the same output line as the shared floor
// (../shared/tools/floor, the reference), with the gunzip and the gzip done by TrailSieve's GzipCodec.
//   floor DIR MODE [THREADS] [CODEC]   MODE: read | inflate | scan | full; CODEC: zlib (default) | isal
// With zlib it does what the reference does (the runtime's GZipStream), so the two can be checked against each other.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: floor DIR read|inflate|scan|full [THREADS] [zlib|isal]");
    return 2;
}

var dir = args[0];
var mode = args[1];
var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
var codecName = args.Length > 3 ? args[3] : "zlib";
GzipCodec? codec = codecName switch
{
    "zlib" => null,
    "isal" => GzipCodec.Isal,
    _ => throw new ArgumentException($"unknown codec '{codecName}' (zlib or isal)"),
};
if (codecName == "isal" && codec is null)
{
    Console.Error.WriteLine($"floor: ISA-L is not available: {GzipCodec.IsalUnavailableReason}");
    return 3;
}

var files = Directory.GetFiles(dir, "*.gz", SearchOption.AllDirectories);
long inBytes = 0, rawBytes = 0, outBytes = 0, records = 0;
var clock = Stopwatch.StartNew();
Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = threads }, file =>
{
    var data = File.ReadAllBytes(file);
    Interlocked.Add(ref inBytes, data.Length);
    if (mode == "read")
    {
        return;
    }

    var raw = Inflate(data, codec);
    Interlocked.Add(ref rawBytes, raw.WrittenCount);
    if (mode == "inflate")
    {
        return;
    }

    var output = new MemoryStream();
    long found = 0;
    using (var gzip = codec is null ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : codec.CreateCompressor(output, CompressionLevel.Fastest, leaveOpen: true))
    {
        var reader = new Utf8JsonReader(raw.WrittenSpan);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.StartObject || reader.CurrentDepth != 2)
            {
                continue;
            }

            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            found++;
            if (mode == "full")
            {
                gzip.Write(raw.WrittenSpan[start..(int)reader.BytesConsumed]);
                gzip.WriteByte((byte)',');
            }
        }
    }

    Interlocked.Add(ref records, found);
    Interlocked.Add(ref outBytes, output.Length);
});
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{mode} codec={codecName} threads={threads} files={files.Length} records={records} in={inBytes / 1e6:F1}MB raw={rawBytes / 1e6:F1}MB out={outBytes / 1e6:F1}MB time={seconds:F2}s raw_MBps={rawBytes / 1e6 / seconds:F0} rec_per_s={records / seconds:F0}"));
return 0;

static ArrayBufferWriter<byte> Inflate(byte[] data, GzipCodec? codec)
{
    var raw = new ArrayBufferWriter<byte>(data.Length * 8);
    if (codec is not null)
    {
        codec.Decompress(data, raw);
        return raw;
    }

    using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
    int read;
    while ((read = gzip.Read(raw.GetSpan(64 * 1024))) > 0)
    {
        raw.Advance(read);
    }

    return raw;
}
