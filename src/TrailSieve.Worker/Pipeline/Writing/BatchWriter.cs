using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// Batch mode: a read-whole object's pieces are appended to the open batch of their partition (account, region,
/// day; and OCSF class), one object per batch in the <see cref="IBatchFormat"/> chosen (a CloudTrail document under
/// <see cref="Options.OutputOptions.KeyTemplate"/>, or an OCSF Parquet file in Security Lake's layout). With a
/// <see cref="BatchDeduplicator"/>, a record the batch already holds (delivered twice) is not appended again. With a
/// <see cref="DeliveryLedger"/> (exactly once), the object is claimed for its batches before anything is appended
/// (<see cref="ClaimAsync"/>): an object already delivered is written no more.
/// </summary>
internal sealed class BatchWriter(
    IObjectSink sink,
    BatchPolicy policy,
    string prefix,
    IBatchFormat format,
    PipelineCounters counters,
    TimeProvider timeProvider,
    ILogger logger,
    BatchDeduplicator? deduplicator = null,
    DeliveryLedger? ledger = null)
    : BatchingWriter<PartitionKey>(sink, policy)
{
    internal const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Keys chosen for batches not opened yet, so that a claim can name a batch before it exists.</summary>
    private readonly Dictionary<PartitionKey, string> _reserved = [];

    /// <summary>
    /// When each batch got its first claim: it is committed only within the ledger's commit deadline of it. Concurrent,
    /// as <see cref="_poisoned"/> is: <see cref="BeforeCommitAsync"/> runs for several batches at once.
    /// </summary>
    private readonly ConcurrentDictionary<string, long> _firstClaim = new(StringComparer.Ordinal);

    /// <summary>Batches that may hold part of an object whose claim is uncertain or whose append failed: never committed.</summary>
    private readonly ConcurrentDictionary<string, string> _poisoned = new(StringComparer.Ordinal);

    protected override string Noun => "output";

    /// <summary>Appends the object's staged pieces (and gives their buffers back); the batches now hold the object.</summary>
    /// <exception cref="ObjectClaimedException">Another worker holds the object's claim: retry later.</exception>
    public async Task AppendAsync(ObjectProgress obj, List<OutputPiece> pieces, CancellationToken cancellationToken)
    {
        try
        {
            var claim = await ClaimAsync(obj, pieces, cancellationToken).ConfigureAwait(false);
            if (claim?.Delivered == true)
            {
                return;
            }

            try
            {
                foreach (var piece in pieces)
                {
                    if (claim?.Durable.Contains(Label(piece.Partition)) == true)
                    {
                        continue;
                    }

                    var (batch, opened) = await BatchForAsync(piece.Partition, cancellationToken).ConfigureAwait(false);
                    if (claim is not null && claim.Batches[Label(piece.Partition)] != batch.Output.Key)
                    {
                        // The claimed batch was committed between the claim and now: the marker must name where the records go.
                        claim = await ledger!.RepointAsync(claim, Repointed(claim, piece.Partition, batch.Output.Key), cancellationToken).ConfigureAwait(false);
                        _firstClaim.TryAdd(batch.Output.Key, timeProvider.GetTimestamp());
                    }

                    await AppendPieceAsync(obj, piece, batch, opened, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (claim is not null && ex is not OperationCanceledException)
            {
                // The marker names these batches while they may hold only part of the object: none may become durable.
                Poison(claim.Batches.Where(b => !claim.Durable.Contains(b.Key)).Select(b => b.Value), $"appending {obj.Object.Name} failed after its claim ({ex.Message})");
                throw;
            }
        }
        finally
        {
            foreach (var piece in pieces)
            {
                piece.Dispose();
            }
        }
    }

    /// <summary>Appends one piece, less the records <paramref name="batch"/> already holds (the batch window); the batch then holds the object.</summary>
    private async Task AppendPieceAsync(ObjectProgress obj, OutputPiece piece, OpenBatch<PartitionKey> batch, bool opened, CancellationToken cancellationToken)
    {
        if (opened)
        {
            await format.OpenAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        var written = deduplicator is null ? piece : deduplicator.Apply(batch, piece, obj);
        try
        {
            if (written is not null)
            {
                await format.AppendAsync(batch, written, cancellationToken).ConfigureAwait(false);
                batch.Records += written.Records;
                batch.RawBytes += written.RawBytes;
            }
        }
        finally
        {
            if (written is not null && !ReferenceEquals(written, piece))
            {
                written.Dispose();
            }
        }

        // Even when every record was a duplicate: the object is done only once the batch holding them is.
        batch.Hold(obj);
    }

    /// <summary>
    /// Claims the object in the ledger for the batches its pieces go to (null: no ledger, or not an S3 object). When it
    /// is already delivered, its end says so (it is reported skipped). When the claim itself fails, whatever batch it
    /// may have named is poisoned: a marker naming a batch that becomes durable without the object would lose it.
    /// </summary>
    private async Task<LedgerClaim?> ClaimAsync(ObjectProgress obj, List<OutputPiece> pieces, CancellationToken cancellationToken)
    {
        var source = obj.Object.Source;
        if (ledger is null || source.Bucket is null || pieces.Count == 0)
        {
            return null;
        }

        var batches = new Dictionary<string, string>(StringComparer.Ordinal);
        var reservedNow = new List<PartitionKey>();
        foreach (var partition in pieces.Select(p => p.Partition).Distinct())
        {
            var key = OpenBatchOf(partition)?.Output.Key;
            if (key is null && !_reserved.TryGetValue(partition, out key))
            {
                key = NewKey(partition);
                _reserved.Add(partition, key);
                reservedNow.Add(partition);
            }

            batches[Label(partition)] = key;
        }

        LedgerClaim claim;
        var claimed = timeProvider.GetTimestamp();
        try
        {
            claim = await ledger.ClaimAsync(source.Bucket, source.Key, obj.End?.Version, batches, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectClaimedException)
        {
            // The marker is another worker's: it names none of our batches.
            Unreserve(reservedNow);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Our create or replace may have landed although its answer did not.
            Unreserve(reservedNow);
            Poison(batches.Values, $"the claim of {source.Name} is uncertain ({ex.Message})");
            throw;
        }

        if (claim.Delivered)
        {
            Unreserve(reservedNow);
            obj.End = (obj.End ?? new ReadEnd(0, 0, IsDigest: false, SkipReason: null, Error: null)) with
            {
                SkipReason = $"already delivered in {string.Join(", ", claim.Batches.Values.Select(Sink.Describe))} (delivery ledger)",
            };
            return claim;
        }

        foreach (var (partition, key) in claim.Batches)
        {
            if (!claim.Durable.Contains(partition))
            {
                _firstClaim.TryAdd(key, claimed);
            }
        }

        return claim;
    }

    protected override string NewKey(PartitionKey key) =>
        _reserved.Remove(key, out var reserved)
            ? reserved
            : format.Render(prefix, key, timeProvider.GetUtcNow(), RandomNumberGenerator.GetString(IdAlphabet, 16));

    protected override ValueTask BeforeCommitAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken)
    {
        var key = batch.Output.Key;
        var claimed = _firstClaim.TryRemove(key, out var first);
        if (_poisoned.TryRemove(key, out var why))
        {
            throw new ObjectClaimedException($"not committed: {why}");
        }

        if (claimed && timeProvider.GetElapsedTime(first) is var age && age > ledger!.CommitDeadline)
        {
            throw new ObjectClaimedException(
                $"not committed: its first claim is {age.TotalSeconds:F0} s old, past half the claim lease ({ledger.Lease}), so another worker may have taken its objects over");
        }

        return format.FinishAsync(batch, cancellationToken);
    }

    protected override void OnCommitted(OpenBatch<PartitionKey> batch)
    {
        counters.AddOutput(batch.Output.Length);
        Log.OutputCommitted(logger, Sink.Describe(batch.Output.Key), batch.Records, batch.Output.Length);
    }

    /// <summary>How a partition is named in a ledger marker.</summary>
    private static string Label(PartitionKey partition) =>
        partition.EventClass == 0
            ? $"{partition.Account}/{partition.Region}/{partition.Day:yyyy-MM-dd}"
            : $"{partition.Account}/{partition.Region}/{partition.Day:yyyy-MM-dd}/{partition.EventClass}";

    private static Dictionary<string, string> Repointed(LedgerClaim claim, PartitionKey partition, string key) =>
        new(claim.Batches, StringComparer.Ordinal) { [Label(partition)] = key };

    private void Unreserve(List<PartitionKey> partitions)
    {
        foreach (var partition in partitions)
        {
            _reserved.Remove(partition);
        }
    }

    private void Poison(IEnumerable<string> keys, string why)
    {
        foreach (var key in keys)
        {
            _poisoned.TryAdd(key, why);
        }
    }
}
