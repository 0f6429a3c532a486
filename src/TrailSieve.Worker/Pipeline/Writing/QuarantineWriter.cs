using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Batching;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// The quarantine: a read-whole object's unusable records, one JSON line each, appended (as one gzip member per object)
/// to the open quarantine object of the UTC day they are written, <c>{prefix}yyyy/MM/dd/quarantine-{id}.jsonl.gz</c> in
/// the output sink, batched by size and age like findings so that a flood of bad records makes few objects. The batch
/// holds the object, so its outcome (and its SQS message's delete) waits until its quarantine lines are durable.
/// Members are compressed at the fastest level by <c>codec</c> (zlib when none is given).
/// </summary>
internal sealed class QuarantineWriter(IObjectSink sink, BatchPolicy policy, string prefix, TimeProvider timeProvider, ILogger logger, GzipCodec? codec = null)
    : BatchingWriter<DateOnly>(sink, policy)
{
    protected override string Noun => "quarantine";

    public async Task AppendAsync(ObjectProgress obj, List<QuarantinedRecord> records, CancellationToken cancellationToken)
    {
        var lines = new ArrayBufferWriter<byte>();
        foreach (var record in records)
        {
            WriteLine(lines, obj.Object.Name, record);
        }

        using var member = new MemoryStream();
        (codec ?? GzipCodec.Zlib).Compress(lines.WrittenSpan, member, CompressionLevel.Fastest);

        var day = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var (batch, _) = await BatchForAsync(day, cancellationToken).ConfigureAwait(false);
        await batch.Output.WriteAsync(member.GetBuffer().AsMemory(0, (int)member.Length), cancellationToken).ConfigureAwait(false);
        batch.Records += records.Count;
        batch.RawBytes += lines.WrittenCount;
        batch.Hold(obj);
    }

    /// <summary>
    /// One line: <c>{"source","index","offset","length","kind","reason","record"}</c>, <c>record</c> being the element's
    /// exact JSON when it was kept (a value that is not an object, within the limits) and absent otherwise.
    /// </summary>
    internal static void WriteLine(IBufferWriter<byte> output, string source, QuarantinedRecord record)
    {
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("source"u8, source);
            json.WriteNumber("index"u8, record.Index);
            json.WriteNumber("offset"u8, record.Offset);
            json.WriteNumber("length"u8, record.Length);
            json.WriteString("kind"u8, record.Kind.ToString());
            json.WriteString("reason"u8, record.Reason);
            if (record.Bytes is { } bytes)
            {
                json.WritePropertyName("record"u8);
                // Valid JSON already (the reader checked it); a raw line break can only be white space between its
                // tokens, so a space keeps it the same value on one line. Not validated again: that would limit its
                // depth to the writer's default, below the reader's MaxDepth.
                json.WriteRawValue(OneLine(bytes), skipInputValidation: true);
            }

            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    protected override string NewKey(DateOnly key) => string.Create(
        CultureInfo.InvariantCulture, $"{prefix}{key:yyyy}/{key:MM}/{key:dd}/quarantine-{RandomNumberGenerator.GetString(BatchWriter.IdAlphabet, 16)}.jsonl.gz");

    protected override void OnCommitted(OpenBatch<DateOnly> batch) =>
        Log.QuarantineCommitted(logger, Sink.Describe(batch.Output.Key), batch.Records, batch.Output.Length);

    private static byte[] OneLine(byte[] bytes)
    {
        if (bytes.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        copy.AsSpan().Replace((byte)'\n', (byte)' ');
        copy.AsSpan().Replace((byte)'\r', (byte)' ');
        return copy;
    }
}
