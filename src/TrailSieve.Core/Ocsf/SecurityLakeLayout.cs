using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TrailSieve.Core.Batching;

namespace TrailSieve.Core.Ocsf;

/// <summary>
/// Amazon Security Lake's custom-source layout:
/// <c>{prefix}ext/{source}-{class}/[{version}/]region={region}/accountId={account}/eventDay={yyyyMMdd}/{yyyyMMddTHHmmZ}_{id}.parquet</c>.
/// Security Lake wants each OCSF class delivered as a source of its own, so the source name is
/// <c>Output:OcsfSourceName</c> followed by the class's uid (e.g. <c>trailsieve-6003</c>); a custom source's name is at
/// most 20 characters, hence the base name's limit of 15.
/// </summary>
public sealed partial class SecurityLakeLayout
{
    public const int MaxSourceNameLength = 15;

    public SecurityLakeLayout(string sourceName, string sourceVersion = "")
    {
        if (!SourceName().IsMatch(sourceName ?? string.Empty))
        {
            throw new FormatException($"OCSF source name '{sourceName}' is not 1 to {MaxSourceNameLength} letters, digits, '-' or '_' (Security Lake's custom source names are at most 20 characters, and the class uid is added)");
        }

        if (!string.IsNullOrEmpty(sourceVersion) && !SourceName().IsMatch(sourceVersion))
        {
            throw new FormatException($"OCSF source version '{sourceVersion}' is not 1 to {MaxSourceNameLength} letters, digits, '-' or '_'");
        }

        Name = sourceName!;
        Version = sourceVersion ?? string.Empty;
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>The Security Lake source a class is delivered as.</summary>
    public string SourceOf(int classUid) => string.Create(CultureInfo.InvariantCulture, $"{Name}-{classUid}");

    /// <summary>The key of a new object of <paramref name="partition"/> (whose <see cref="PartitionKey.EventClass"/> names the class).</summary>
    public string Render(string prefix, PartitionKey partition, DateTimeOffset createdAt, string id)
    {
        var key = new StringBuilder(160).Append(prefix).Append(SourcePrefix(partition.EventClass));
        key.Append(CultureInfo.InvariantCulture, $"region={partition.Region}/accountId={partition.Account}/eventDay={partition.Day:yyyyMMdd}/");
        key.Append(createdAt.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)).Append('_').Append(id).Append(".parquet");
        return key.ToString();
    }

    /// <summary><c>ext/{source}-{class}/</c>, with the version folder when there is one: where a class's table is.</summary>
    public string SourcePrefix(int classUid) =>
        "ext/" + SourceOf(classUid) + "/" + (Version.Length > 0 ? Version + "/" : string.Empty);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,15}$")]
    private static partial Regex SourceName();
}
