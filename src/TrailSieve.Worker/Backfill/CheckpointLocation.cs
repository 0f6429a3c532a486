using System.Security.Cryptography;
using System.Text;

namespace TrailSieve.Worker.Backfill;

/// <summary>Where a run's checkpoint lives: the <c>--checkpoint</c> given, or a document under <c>Backfill:CheckpointPrefix</c>.</summary>
internal static class CheckpointLocation
{
    /// <summary>
    /// <paramref name="checkpoint"/> when given; otherwise the document for this source and target under
    /// <paramref name="prefix"/>; null when neither is set (the run keeps no checkpoint).
    /// </summary>
    public static string? Resolve(string? checkpoint, string prefix, string source, string target)
    {
        if (checkpoint is not null || prefix.Length == 0)
        {
            return checkpoint;
        }

        var name = DocumentName(source, target);
        return prefix.StartsWith("s3://", StringComparison.Ordinal)
            ? (prefix.EndsWith('/') ? prefix : prefix + "/") + name
            : Path.Combine(prefix, name);
    }

    /// <summary>
    /// A name that is the same for every run of one source and target and different for any other pair, so a rerun
    /// of the same command finds its checkpoint and never another backfill's.
    /// </summary>
    public static string DocumentName(string source, string target)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + target));
        return "backfill-" + Convert.ToHexStringLower(hash.AsSpan(0, 8)) + ".json";
    }
}
