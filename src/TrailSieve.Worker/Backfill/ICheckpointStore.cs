namespace TrailSieve.Worker.Backfill;

/// <summary>Where a backfill checkpoint lives: a local file or an S3 object. Each save replaces the whole document.</summary>
internal interface ICheckpointStore
{
    /// <summary>How the checkpoint is named in messages.</summary>
    string Location { get; }

    /// <summary>The saved document, or null when there is none yet.</summary>
    Task<byte[]?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the document atomically (a reader never sees half of it).</summary>
    Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken);
}
