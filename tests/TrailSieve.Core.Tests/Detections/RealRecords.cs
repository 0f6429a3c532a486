using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.Detections;

/// <summary>
/// The records of the real corpus (tests/corpus/real, without its _originals and digest folders), read once, for
/// tests that pin detections on what CloudTrail really records. A missing corpus fails the test (<see cref="RepoPaths.RealCorpus"/>).
/// </summary>
internal static class RealRecords
{
    private static readonly Lazy<List<Record>> s_records = new(Load);

    /// <summary>The one record with <paramref name="eventId"/>; an eventID that is missing or names different records fails.</summary>
    public static byte[] ById(string eventId)
    {
        var matches = s_records.Value.Where(r => r.EventId == eventId).Select(r => r.Bytes).ToList();
        Assert.True(matches.Count > 0, $"eventID {eventId} is not in the corpus");
        var distinct = matches.Select(Encoding.UTF8.GetString).Distinct(StringComparer.Ordinal).Count();
        Assert.True(distinct == 1, $"eventID {eventId} names {distinct} different records in the corpus: pick the records another way");
        return matches[0];
    }

    /// <summary>Every record with this eventSource and eventName (duplicates across folders included).</summary>
    public static List<byte[]> Where(string eventSource, string eventName) =>
        [.. s_records.Value.Where(r => r.EventSource == eventSource && r.EventName == eventName).Select(r => r.Bytes)];

    /// <summary>Every record of the corpus, in file order.</summary>
    public static IReadOnlyList<byte[]> All => [.. s_records.Value.Select(r => r.Bytes)];

    /// <summary>Every record whose text contains <paramref name="text"/>.</summary>
    public static List<byte[]> Containing(string text) =>
        [.. s_records.Value.Where(r => Encoding.UTF8.GetString(r.Bytes).Contains(text, StringComparison.Ordinal)).Select(r => r.Bytes)];

    /// <summary>A top-level string property of a record, or null.</summary>
    public static string? Text(byte[] record, string property)
    {
        using var document = JsonDocument.Parse(record);
        return document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static List<Record> Load()
    {
        var records = new List<Record>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.RealCorpus, "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains("_originals", StringComparison.Ordinal) || file.Contains("digest", StringComparison.Ordinal))
            {
                continue;
            }

            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var document = JsonDocument.Parse(gzip);
            if (!document.RootElement.TryGetProperty("Records", out var list))
            {
                continue;
            }

            foreach (var record in list.EnumerateArray())
            {
                records.Add(new Record(Property(record, "eventID"), Property(record, "eventSource"), Property(record, "eventName"), Encoding.UTF8.GetBytes(record.GetRawText())));
            }
        }

        Assert.True(records.Count > 10_000, $"only {records.Count} records in {RepoPaths.RealCorpus}");
        return records;
    }

    private static string? Property(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record Record(string? EventId, string? EventSource, string? EventName, byte[] Bytes);
}
