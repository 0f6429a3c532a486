using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Deletes settled messages in groups of up to 10 (DeleteMessageBatch), waiting at most a short delay to fill a batch.
/// A message reaches it only when every record it announced is in a committed output object, or was skipped on
/// purpose. A failed delete is logged: the message comes back and is processed again (at-least-once).
/// </summary>
internal sealed class Acknowledger(IQueueClient queue, InFlightRegistry registry, TimeSpan batchDelay, TimeProvider timeProvider, ServiceCounters counters, ILogger logger)
{
    private const int MaxBatch = 10;

    /// <summary>Deletes what arrives on <paramref name="reader"/> until it completes.</summary>
    public async Task RunAsync(ChannelReader<InFlightMessage> reader, CancellationToken cancellationToken)
    {
        var batch = new List<InFlightMessage>(MaxBatch);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            if (batch.Count < MaxBatch && batchDelay > TimeSpan.Zero && !reader.Completion.IsCompleted)
            {
                await Task.Delay(batchDelay, timeProvider, cancellationToken).ConfigureAwait(false);
                while (batch.Count < MaxBatch && reader.TryRead(out var message))
                {
                    batch.Add(message);
                }
            }

            await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task DeleteAsync(List<InFlightMessage> batch, CancellationToken cancellationToken)
    {
        try
        {
            var failures = await queue.DeleteAsync(batch.ConvertAll(m => m.Message), cancellationToken).ConfigureAwait(false);
            foreach (var failure in failures)
            {
                Log.DeleteFailed(logger, failure.MessageId, failure.Code, failure.Message);
            }

            counters.AddDeleted(batch.Count - failures.Count);
            counters.AddError("SqsDelete", failures.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DeleteBatchFailed(logger, ex);
            counters.AddError("SqsDelete", batch.Count);
        }
        finally
        {
            foreach (var message in batch)
            {
                registry.Release(message);
            }
        }
    }
}
