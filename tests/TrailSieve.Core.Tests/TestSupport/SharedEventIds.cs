using System.Text.Json;

namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>
/// Records of the real corpus that share an eventID yet are different records: in the Permiso Cloud Console
/// Cartographer file, <c>2df05a9f-…</c> is the eventID of two GetSigninToken records with the same eventTime,
/// eventSource and eventName whose responseElements differ (another access key). A de-duplication by eventID alone, or
/// by those four fields, loses one of them.
/// </summary>
public static class SharedEventIds
{
    public const string EventId = "2df05a9f-0f79-42d3-b5d5-f5cc6c312fb1";

    public static string File { get; } = Path.Combine(
        RepoPaths.RealCorpus, "permiso-cloudconsolecartographer", "000000000000_CloudTrail_us-east-1_20230426T1450Z_ha4g8fjiy5DpTDy9.json.gz");

    /// <summary>The raw JSON text (as in the file) of every record of <see cref="File"/> with <see cref="EventId"/>.</summary>
    public static IReadOnlyList<string> Records()
    {
        using var document = JsonDocument.Parse(Gzip.Decompress(System.IO.File.ReadAllBytes(File)));
        var records = document.RootElement.GetProperty("Records").EnumerateArray()
            .Where(r => r.TryGetProperty("eventID", out var id) && id.GetString() == EventId)
            .Select(r => r.GetRawText())
            .ToList();
        return records.Count == 2 && records[0] != records[1]
            ? records
            : throw new InvalidOperationException($"{File}: expected two different records with eventID {EventId}, found {records.Count}");
    }
}
