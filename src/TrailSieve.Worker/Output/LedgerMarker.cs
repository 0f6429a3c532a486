using System.Globalization;
using System.Text.Json;

namespace TrailSieve.Worker.Output;

/// <summary>
/// The body of one ledger marker: which batch holds each output partition of the source object, who claimed it and
/// when, and a token unique to the claim (so a claim whose response was lost and whose retry met its own write is
/// recognised as ours, not as a rival's).
/// </summary>
internal sealed record LedgerMarker(string Token, string Worker, DateTimeOffset Claimed, IReadOnlyDictionary<string, string> Batches)
{
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("token", Token);
            json.WriteString("worker", Worker);
            json.WriteString("claimed", Claimed.ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartObject("batches");
            foreach (var (partition, key) in Batches.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                json.WriteString(partition, key);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The marker in <paramref name="body"/>; null when it is not one (then it names no durable batch).</summary>
    public static LedgerMarker? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var batches = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var batch in root.GetProperty("batches").EnumerateObject())
            {
                batches[batch.Name] = batch.Value.GetString() ?? throw new JsonException("a batch key is null");
            }

            return new LedgerMarker(
                root.GetProperty("token").GetString() ?? string.Empty,
                root.GetProperty("worker").GetString() ?? string.Empty,
                DateTimeOffset.Parse(root.GetProperty("claimed").GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                batches);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
