using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Makes messages that will not be deleted visible again (ChangeMessageVisibilityBatch), in groups of up to 10 with
/// the same visibility, and then forgets them: the failed ones the settler sends, and at shutdown every message still
/// in flight (<see cref="ReleaseAsync"/>). A release that fails is logged and counted; the message then comes back
/// when its visibility timeout ends, as it did before releases existed. Each release tells the idle tracker when the
/// message can come back, so <c>--until-idle</c> waits for it.
/// </summary>
internal sealed class MessageReleaser(IQueueClient queue, InFlightRegistry registry, IdleTracker idle, TimeProvider timeProvider, ServiceCounters counters, ILogger logger)
{
    private const int MaxBatch = 10;

    /// <summary>Releases what arrives on <paramref name="reader"/> until it completes.</summary>
    public async Task RunAsync(ChannelReader<MessageRelease> reader, CancellationToken cancellationToken)
    {
        var pending = new List<MessageRelease>(MaxBatch);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (pending.Count < MaxBatch && reader.TryRead(out var release))
            {
                pending.Add(release);
            }

            foreach (var group in pending.GroupBy(r => r.Visibility))
            {
                await ReleaseAsync([.. group.Select(r => r.Message)], group.Key, cancellationToken).ConfigureAwait(false);
            }

            pending.Clear();
        }
    }

    /// <summary>Makes <paramref name="messages"/> visible after <paramref name="visibility"/> and forgets them; returns how many SQS accepted.</summary>
    public async Task<int> ReleaseAsync(IReadOnlyList<InFlightMessage> messages, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var released = 0;
        for (var start = 0; start < messages.Count; start += MaxBatch)
        {
            var batch = messages.Skip(start).Take(MaxBatch).ToList();
            idle.OnReleased(visibility);
            try
            {
                var failures = await queue.ExtendAsync(batch.ConvertAll(m => m.Message), visibility, cancellationToken).ConfigureAwait(false);
                foreach (var failure in failures)
                {
                    Log.ReleaseFailed(logger, failure.MessageId, failure.Code, failure.Message);
                    BackWhenVisibilityEnds(batch.Find(m => m.Message.MessageId == failure.MessageId));
                }

                counters.AddReleased(batch.Count - failures.Count);
                released += batch.Count - failures.Count;
                counters.AddError("SqsRelease", failures.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ReleaseBatchFailed(logger, ex);
                counters.AddError("SqsRelease", batch.Count);
                batch.ForEach(BackWhenVisibilityEnds);
            }
            finally
            {
                foreach (var message in batch)
                {
                    registry.Release(message);
                }
            }
        }

        return released;
    }

    /// <summary>A message whose release failed comes back when its visibility ends; the idle watch must wait that long.</summary>
    private void BackWhenVisibilityEnds(InFlightMessage? message)
    {
        if (message is not null)
        {
            idle.OnReleased(message.VisibleUntil - timeProvider.GetUtcNow());
        }
    }
}
