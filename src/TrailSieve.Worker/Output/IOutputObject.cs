namespace TrailSieve.Worker.Output;

/// <summary>An output object being written. Disposing one that was not committed aborts it: no partial object appears.</summary>
internal interface IOutputObject : IAsyncDisposable
{
    string Key { get; }

    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes the object durable and visible under its key; on return it is safe to acknowledge its input.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
