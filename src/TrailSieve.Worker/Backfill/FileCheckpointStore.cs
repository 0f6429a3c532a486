namespace TrailSieve.Worker.Backfill;

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
