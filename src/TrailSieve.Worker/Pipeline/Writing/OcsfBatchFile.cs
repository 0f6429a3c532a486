using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;
using TrailSieve.Core.Ocsf.Model;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// The Parquet file of one open OCSF batch, built a row group at a time: events are held only until
/// <see cref="RowGroupRawBytes"/> of records have come, then encoded and compressed into the file in memory, off the
/// writer's loop (one group after another, in order), so an open batch holds its compressed file and at most two
/// groups of events (one being encoded, one filling), not every event until its commit: when a group is full while
/// the one before is still being encoded, or every one of <c>encoders</c> (one per core, shared by the writer's
/// batches) is busy, <see cref="AddAsync"/> waits, which slows the writer (and so the pipeline behind it) to what the
/// encoding keeps up with. <see cref="FinishAsync"/> writes the last group and returns the file.
/// </summary>
internal sealed class OcsfBatchFile(SemaphoreSlim encoders) : IDisposable
{
    /// <summary>
    /// Record bytes per row group: about 700 CloudTrail records of 1.5 KB. Held as events they take roughly 7 times
    /// their bytes (strings are UTF-16, raw_data included), so about 7 MB per open batch at most besides its file.
    /// </summary>
    internal const long RowGroupRawBytes = 1024 * 1024;

    private readonly MemoryStream _file = new();
    private List<OcsfEvent> _pending = [];
    private long _pendingRawBytes;
    private Task _written = Task.CompletedTask;
    private bool _any;

    /// <summary>Adds an OCSF piece's events; starts encoding a row group when enough are held, once the previous one is written.</summary>
    public async ValueTask AddAsync(OutputPiece piece, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var events = piece.Events ?? throw new ArgumentException("a gzip piece cannot go into an OCSF Parquet object", nameof(piece));
        _pending.AddRange(events);
        _pendingRawBytes += piece.RawBytes;
        if (_pendingRawBytes >= RowGroupRawBytes)
        {
            if (!_written.IsCompleted)
            {
                // Its failure, if any, is the commit's to report (FinishAsync).
                await _written.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // At most one encoding per core across every batch: each holds its group and Parquet.Net's buffers.
            await encoders.WaitAsync(cancellationToken).ConfigureAwait(false);
            StartRowGroup(release: true, CancellationToken.None);
        }
    }

    /// <summary>The whole file, once its last row group is written; fails with the first row group that failed.</summary>
    public async Task<ReadOnlyMemory<byte>> FinishAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count > 0 || !_any)
        {
            // The last group is encoded in the commit, which runs off the loop with a bound of its own.
            StartRowGroup(release: false, cancellationToken);
        }

        await _written.ConfigureAwait(false);
        return _file.GetBuffer().AsMemory(0, (int)_file.Length);
    }

    /// <summary>
    /// Gives the file's memory up (after its bytes were written). A batch aborted before its commit is not disposed: its
    /// row groups may still be being written, and a MemoryStream holds nothing the collector cannot take back.
    /// </summary>
    public void Dispose() => _file.Dispose();

    private void StartRowGroup(bool release, CancellationToken cancellationToken)
    {
        var group = _pending;
        var append = _any;
        _pending = [];
        _pendingRawBytes = 0;
        _any = true;
        _written = WriteAfterAsync(_written, group, append, release, cancellationToken);
    }

    private async Task WriteAfterAsync(Task previous, List<OcsfEvent> group, bool append, bool release, CancellationToken cancellationToken)
    {
        try
        {
            await previous.ConfigureAwait(false);
            await Task.Run(() => OcsfParquet.WriteAsync(group, _file, cancellationToken, append), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (release)
            {
                encoders.Release();
            }
        }
    }
}
