using System.Diagnostics;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// One source object to filter, as known when it is received or listed: a local file, or an S3 object announced on
/// SQS or found by backfill. Immutable; it travels on the objects channel and comes back in its <see cref="ObjectOutcome"/>.
/// </summary>
internal sealed class SourceObject
{
    /// <summary>How the object is named in messages: a path or an s3:// URI.</summary>
    public required string Name { get; init; }

    /// <summary>The object's key (or path); digest files are recognised by it.</summary>
    public required string Key { get; init; }

    /// <summary>The S3 bucket of an S3 object (with <see cref="Key"/>, its identity in the delivery ledger); null for a local file.</summary>
    public string? Bucket { get; init; }

    /// <summary>Output key in mirror mode.</summary>
    public required string OutputKey { get; init; }

    /// <summary>Opens the object's bytes as stored (gzip or not).</summary>
    public required Func<CancellationToken, Task<Stream>> OpenAsync { get; init; }

    /// <summary>
    /// Whoever asked for the object (the SQS message in the service, the listed item in backfill), handed back in its
    /// outcome so that the outcome's consumer can settle it; the pipeline never looks at it.
    /// </summary>
    public object? Origin { get; init; }

    /// <summary>The trace context the object's span continues (its SQS message's span), or default.</summary>
    public ActivityContext ParentContext { get; init; }

    /// <summary>A CloudTrail digest file by its key's place in CloudTrail's layout (<see cref="Core.Layout.CloudTrailLayout.IsDigestKey"/>).</summary>
    public bool IsDigestByName => Core.Layout.CloudTrailLayout.IsDigestKey(Key);
}
