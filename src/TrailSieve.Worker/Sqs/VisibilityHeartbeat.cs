using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Keeps in-flight messages invisible while their objects are processed: every interval it extends, in batches of 10
/// (ChangeMessageVisibilityBatch), the messages whose visibility ends within the threshold. Interval &lt; threshold
/// &lt; visibility timeout is validated at start. A message deleted meanwhile answers ReceiptHandleIsInvalid: expected.
/// </summary>
internal sealed class VisibilityHeartbeat(
    IQueueClient queue,
    InFlightRegistry registry,
    TimeSpan interval,
    TimeSpan threshold,
    TimeSpan visibilityTimeout,
    TimeProvider timeProvider,
    ServiceCounters counters,
    ILogger logger)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        Hosting.Periodic.RunAsync(
            interval,
            timeProvider,
            async ct =>
            {
                await BeatAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>One pass: extends every message due.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var due = registry.Snapshot().Where(m => !m.AnyFailed && m.VisibleUntil - now <= threshold).ToList();
        foreach (var batch in due.Chunk(10))
        {
            try
            {
                var failures = await queue.ExtendAsync([.. batch.Select(m => m.Message)], visibilityTimeout, cancellationToken).ConfigureAwait(false);
                var failed = new HashSet<string>(failures.Select(f => f.MessageId), StringComparer.Ordinal);
                foreach (var message in batch.Where(m => !failed.Contains(m.Message.MessageId)))
                {
                    message.VisibleUntil = now + visibilityTimeout;
                }

                foreach (var failure in failures.Where(f => !f.IsReceiptHandleInvalid))
                {
                    Log.ExtendFailed(logger, failure.MessageId, failure.Code, failure.Message);
                    counters.AddError("SqsExtend", 1);
                }

                counters.AddExtended(batch.Length - failures.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ExtendBatchFailed(logger, ex);
                counters.AddError("SqsExtend", batch.Length);
            }
        }
    }
}
