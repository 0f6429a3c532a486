using System.Globalization;
using TrailSieve.Core.Notifications;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Fans the backfill out through the service's queue: one S3-event-shaped message per object (what a live bucket
/// notification would send), ten per SendMessageBatch call, several calls in flight. An object counts as done once
/// SQS has accepted its message; entries SQS refuses for a passing reason are sent again, a few times.
/// </summary>
internal sealed class EnqueueTarget(IMessageSender sender, PartitionTracker tracker, TimeProvider timeProvider, int parallelism = 8, int attempts = 4) : IBackfillTarget, IDisposable
{
    private const int BatchSize = 10;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _inFlight = new(parallelism, parallelism);
    private readonly List<Task> _sends = [];
    private List<BackfillItem> _pending = new(BatchSize);
    private long _sent;

    /// <summary>Messages SQS accepted.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public void Dispose() => _inFlight.Dispose();

    public async ValueTask SubmitAsync(BackfillItem item, CancellationToken cancellationToken)
    {
        List<BackfillItem>? full = null;
        lock (_lock)
        {
            _pending.Add(item);
            if (_pending.Count == BatchSize)
            {
                full = _pending;
                _pending = new List<BackfillItem>(BatchSize);
            }
        }

        if (full is not null)
        {
            await StartAsync(full, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CompleteAsync()
    {
        List<BackfillItem> rest;
        lock (_lock)
        {
            rest = _pending;
            _pending = [];
        }

        if (rest.Count > 0)
        {
            await StartAsync(rest, CancellationToken.None).ConfigureAwait(false);
        }

        Task[] sends;
        lock (_lock)
        {
            sends = [.. _sends];
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    private async Task StartAsync(List<BackfillItem> batch, CancellationToken cancellationToken)
    {
        // Waiting for a slot is the backpressure: the listing runs at most `parallelism` calls ahead.
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        var send = SendAsync(batch);
        lock (_lock)
        {
            _sends.RemoveAll(t => t.IsCompleted);
            _sends.Add(send);
        }
    }

    private async Task SendAsync(List<BackfillItem> batch)
    {
        try
        {
            await Task.Yield();
            var now = timeProvider.GetUtcNow();
            var remaining = batch.Select((item, i) => (Id: i.ToString(CultureInfo.InvariantCulture), Item: item)).ToList();
            for (var attempt = 1; remaining.Count > 0; attempt++)
            {
                IReadOnlyList<SendFailure> failures;
                try
                {
                    failures = await sender.SendBatchAsync(
                        [.. remaining.Select(r => new OutgoingMessage(r.Id, S3EventMessage.Create(r.Item.Object, now)))],
                        CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    foreach (var (_, item) in remaining)
                    {
                        tracker.Failed(item.Partition, Name(item), item.Object.Key, item.Object.Size ?? 0, $"SendMessageBatch to {sender.QueueUrl} failed: {ex.Message}");
                    }

                    return;
                }

                var refused = failures.ToDictionary(f => f.Id, StringComparer.Ordinal);
                var retry = new List<(string Id, BackfillItem Item)>();
                foreach (var entry in remaining)
                {
                    if (!refused.TryGetValue(entry.Id, out var failure))
                    {
                        Interlocked.Increment(ref _sent);
                        tracker.Succeeded(entry.Item.Partition, entry.Item.Object.Key, entry.Item.Object.Size ?? 0);
                    }
                    else if (!failure.SenderFault && attempt < attempts)
                    {
                        retry.Add(entry);
                    }
                    else
                    {
                        tracker.Failed(entry.Item.Partition, Name(entry.Item), entry.Item.Object.Key, entry.Item.Object.Size ?? 0, $"SQS refused the message: {failure.Code}: {failure.Message}");
                    }
                }

                remaining = retry;
                if (remaining.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), timeProvider).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private static string Name(BackfillItem item) => $"s3://{item.Object.Bucket}/{item.Object.Key}";
}
