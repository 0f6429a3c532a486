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

/// <summary>A local file, replaced by writing a sibling temporary file and renaming it over the old one.</summary>
internal sealed class FileCheckpointStore(string path) : ICheckpointStore
{
    public string Location => Path.GetFullPath(path);

    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken) =>
        File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;

    public async Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(document, cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
    }
}
