namespace TrailSieve.Worker.Output;

/// <summary>
/// Output objects as files under a folder. Each is written to a hidden temporary file beside its final path, flushed
/// to disk and renamed over the final path on commit, so a reader never sees a partial file.
/// </summary>
internal sealed class LocalDirectorySink : IObjectSink
{
    private readonly string _root;
    private readonly string _inside;

    public LocalDirectorySink(string root)
    {
        // A trailing separator (--output out/) is the same folder; every file's path starts with _inside.
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _inside = Path.EndsInDirectorySeparator(_root) ? _root : _root + Path.DirectorySeparatorChar;
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

    /// <summary>
    /// The file of <paramref name="key"/>: a relative path of names under the root. Refused, naming the key and why: an
    /// empty key, a NUL, a key ending in a separator (it names a folder, not a file), and anything that resolves outside
    /// the root (<c>..</c>, an absolute path). Empty segments collapse (<c>a//b</c> is <c>a/b</c>), and on Linux a
    /// backslash is part of a name, not a separator. Symbolic links the operator put inside the root are followed, as
    /// any program writing to that folder would: a key can name a path, never create a link.
    /// </summary>
    private string PathFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reason = key switch
        {
            "" => "it is empty",
            _ when key.Contains('\0', StringComparison.Ordinal) => "it contains a NUL character",
            _ when key.EndsWith('/') || key.EndsWith(Path.DirectorySeparatorChar) => "it ends with a separator, so it names a folder, not a file",
            _ => null,
        };
        var path = reason is null ? Path.GetFullPath(Path.Combine(_root, key)) : null;
        if (path is not null && !path.StartsWith(_inside, StringComparison.Ordinal))
        {
            reason = $"it leaves the output folder {_root}";
        }

        return reason is null ? path! : throw new ArgumentException($"output key '{key.Replace("\0", "\\0", StringComparison.Ordinal)}' is refused: {reason}", nameof(key));
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
