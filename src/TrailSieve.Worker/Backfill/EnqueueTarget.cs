using System.Globalization;
using Polly;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Aws;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Fans the backfill out through the service's queue: one S3-event-shaped message per object (what a live bucket
/// notification would send), ten per SendMessageBatch call, several calls in flight. An object counts as done once
/// SQS has accepted its message. Failed calls and entries SQS refuses for a passing reason go through the project's
/// retry pipeline (<see cref="AwsResilience"/>: backoff with jitter on the injected clock), each retry sending only
/// the entries still refused; a sender fault fails its object at once. <paramref name="abort"/> (a second signal)
/// cancels the sends in flight: their objects are neither done nor failed, so their partitions stay open.
/// </summary>
internal sealed class EnqueueTarget(
    IMessageSender sender, PartitionTracker tracker, TimeProvider timeProvider, CancellationToken abort, int parallelism = 8, int attempts = 4) : IBackfillTarget, IDisposable
{
    private const int BatchSize = 10;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _inFlight = new(parallelism, parallelism);
    private readonly ResiliencePipeline _retry = AwsResilience.Create(timeProvider, attempts, retryResult: left => left is int count && count > 0);
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
            await StartAsync(full).ConfigureAwait(false);
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
            await StartAsync(rest).ConfigureAwait(false);
        }

        Task[] sends;
        lock (_lock)
        {
            sends = [.. _sends];
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    private async Task StartAsync(List<BackfillItem> batch)
    {
        // Waiting for a slot is the backpressure: the listing runs at most `parallelism` calls ahead. A batch already
        // formed is sent even after a stop request (what was handed on finishes); only an abort gives it up.
        await _inFlight.WaitAsync(abort).ConfigureAwait(false);
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
            var messages = batch.Select((item, i) => new OutgoingMessage(i.ToString(CultureInfo.InvariantCulture), S3EventMessage.Create(item.Object, now))).ToList();
            var remaining = Enumerable.Range(0, batch.Count).ToList();
            var lastRefusal = new Dictionary<int, SendFailure>();
            try
            {
                await _retry.ExecuteAsync(
                    async ct =>
                    {
                        var failures = await sender.SendBatchAsync([.. remaining.Select(i => messages[i])], ct).ConfigureAwait(false);
                        var refused = failures.ToDictionary(f => int.Parse(f.Id, CultureInfo.InvariantCulture));
                        var retry = new List<int>();
                        foreach (var i in remaining)
                        {
                            if (!refused.TryGetValue(i, out var failure))
                            {
                                Interlocked.Increment(ref _sent);
                                tracker.Succeeded(batch[i].Partition, batch[i].Object.Key, batch[i].Object.Size ?? 0);
                            }
                            else if (failure.SenderFault)
                            {
                                Fail(batch[i], $"SQS refused the message: {failure.Code}: {failure.Message}");
                            }
                            else
                            {
                                lastRefusal[i] = failure;
                                retry.Add(i);
                            }
                        }

                        remaining = retry;
                        return remaining.Count;
                    },
                    abort).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                foreach (var i in remaining)
                {
                    Fail(batch[i], $"SendMessageBatch to {sender.QueueUrl} failed: {AwsErrors.Explain(ex)}");
                }

                return;
            }

            foreach (var i in remaining)
            {
                Fail(batch[i], $"SQS refused the message {attempts} times: {lastRefusal[i].Code}: {lastRefusal[i].Message}");
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private void Fail(BackfillItem item, string reason) =>
        tracker.Failed(item.Partition, $"s3://{item.Object.Bucket}/{item.Object.Key}", item.Object.Key, item.Object.Size ?? 0, reason);
}
