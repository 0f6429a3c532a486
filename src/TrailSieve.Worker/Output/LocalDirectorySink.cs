namespace TrailSieve.Worker.Output;

/// <summary>
/// Output objects as files under a folder. Each is written to a hidden temporary file beside its final path, flushed
/// to disk and renamed over the final path on commit, so a reader never sees a partial file.
/// </summary>
internal sealed class LocalDirectorySink : IObjectSink
{
    private readonly string _root;

    public LocalDirectorySink(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Describe(string key) => PathFor(key);

    public ValueTask<IOutputObject> CreateAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        return ValueTask.FromResult<IOutputObject>(new LocalOutputObject(key, path, temp, stream));
    }

    private string PathFor(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"output key '{key}' leaves the output folder {_root}", nameof(key));
        }

        return path;
    }

    private sealed class LocalOutputObject(string key, string path, string temp, FileStream stream) : IOutputObject
    {
        private bool _done;

        public string Key => key;

        public long Length { get; private set; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            Length += data.Length;
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
            _done = true;
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (!_done)
            {
                File.Delete(temp);
                _done = true;
            }
        }
    }
}
