using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace TrailSieve.Analytics.Tests.Ask;

/// <summary>
/// A CloudTrail record of the real corpus read with System.Text.Json, independently of DuckDB: the oracle the
/// questions' answers are checked against.
/// </summary>
public sealed record CorpusRecord(
    string? EventId,
    DateTime? Time,
    string? Source,
    string? Name,
    string? Region,
    string? Ip,
    string? ErrorCode,
    string? Account,
    string? Principal,
    string? IdentityType,
    string? Role,
    string? ReadOnly,
    string? MfaUsed,
    string? LoginResult)
{
    public static List<CorpusRecord> Load(IEnumerable<string> folders) =>
        [.. folders.SelectMany(f => Directory.GetFiles(f, "*.json.gz")).Order(StringComparer.Ordinal).SelectMany(Read)];

    private static IEnumerable<CorpusRecord> Read(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        var records = new List<CorpusRecord>();
        foreach (var r in document.RootElement.GetProperty("Records").EnumerateArray())
        {
            var identity = Object(r, "userIdentity");
            var issuer = identity is { } i && Object(i, "sessionContext") is { } context ? Object(context, "sessionIssuer") : null;
            var time = Text(r, "eventTime") is { } t && DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTime?)null;
            records.Add(new CorpusRecord(
                Text(r, "eventID"),
                time,
                Text(r, "eventSource"),
                Text(r, "eventName"),
                Text(r, "awsRegion"),
                Text(r, "sourceIPAddress"),
                Text(r, "errorCode"),
                Text(r, "recipientAccountId") ?? (identity is { } a ? Text(a, "accountId") : null),
                identity is { } p ? Text(p, "userName") ?? (issuer is { } s ? Text(s, "userName") : null) ?? Text(p, "invokedBy") ?? Text(p, "type") : null,
                identity is { } y ? Text(y, "type") : null,
                issuer is { } ro ? Text(ro, "userName") : null,
                Text(r, "readOnly"),
                Object(r, "additionalEventData") is { } extra ? Text(extra, "MFAUsed") : null,
                Object(r, "responseElements") is { } response ? Text(response, "ConsoleLogin") : null));
        }

        return records;
    }

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    // What DuckDB's ->> gives: a string's value, other values' JSON text, null for null or missing.
    private static string? Text(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
}
