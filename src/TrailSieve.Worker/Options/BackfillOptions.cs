namespace TrailSieve.Worker.Options;

/// <summary>Settings of <c>trailsieve backfill</c> that come from the environment rather than the command line. Section <c>Backfill</c>.</summary>
public sealed class BackfillOptions
{
    public const string SectionName = "Backfill";

    /// <summary>
    /// Where a backfill keeps its checkpoint when <c>--checkpoint</c> is not given: <c>s3://bucket/prefix/</c> or a
    /// local folder. Each source and target gets its own document under it, named from both, so rerunning the same
    /// command resumes and another backfill never picks up this one's. Default empty: no checkpoint.
    /// </summary>
    public string CheckpointPrefix { get; set; } = string.Empty;

    public IEnumerable<string> ValidateRelations()
    {
        if (CheckpointPrefix.StartsWith("s3://", StringComparison.Ordinal)
            && (CheckpointPrefix.Length <= "s3://".Length || CheckpointPrefix["s3://".Length..].StartsWith('/')))
        {
            yield return $"Backfill:CheckpointPrefix: '{CheckpointPrefix}' names no bucket; accepted: s3://bucket/prefix/ or a folder";
        }
    }
}
