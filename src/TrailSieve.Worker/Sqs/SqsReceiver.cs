using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Stage 0 of the service: N long-poll receivers. Each reserves room in the in-flight registry before receiving (so
/// a busy pipeline stops receiving), parses every body into object references and feeds them to the pipeline.
/// Unknown bodies are reported and left for the DLQ; test events and notifications without objects are acknowledged.
/// </summary>
internal sealed class SqsReceiver(
    IQueueClient queue,
    InFlightRegistry registry,
    Func<ObjectRef, IObjectObserver, ObjectWork> createWork,
    int receivers,
    TimeSpan waitTime,
    TimeSpan visibilityTimeout,
    IdleTracker idle,
    TimeProvider timeProvider,
    ServiceCounters counters,
    ILogger logger)
{
    private const int MaxPerReceive = 10;
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(20);

    public async Task RunAsync(ChannelWriter<ObjectWork> output, CancellationToken cancellationToken)
    {
        try
        {
            await StageWorkers.RunAsync(receivers, () => ReceiveLoopAsync(output, cancellationToken), output).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stop receiving: the normal way out on shutdown; the channel was completed cleanly, so the pipeline drains.
        }
    }

    private async Task ReceiveLoopAsync(ChannelWriter<ObjectWork> output, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var reserved = await registry.ReserveAsync(MaxPerReceive, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<QueueMessage> messages;
            try
            {
                messages = await queue.ReceiveAsync(reserved, waitTime, visibilityTimeout, cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !AwsErrors.IsFatalQueueError(ex))
            {
                registry.Unreserve(reserved);
                var delay = AwsErrors.Backoff(++failures, s_maxBackoff);
                Log.ReceiveFailed(logger, queue.QueueUrl, failures, delay, $"{ex.GetType().Name}: {ex.Message}");
                counters.AddError("SqsReceive", 1);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch
            {
                registry.Unreserve(reserved);
                throw;
            }

            registry.Unreserve(reserved - messages.Count);
            idle.OnReceived(messages.Count);
            counters.AddReceived(messages.Count);
            foreach (var message in messages)
            {
                await DispatchAsync(message, output, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DispatchAsync(QueueMessage message, ChannelWriter<ObjectWork> output, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var received = timeProvider.GetTimestamp();
        var parsed = NotificationParser.Parse(message.Body);
        if (!parsed.IsRecognised)
        {
            Log.UnknownMessage(logger, message.MessageId, parsed.Error ?? "unrecognised", BodyStart(message.Body));
            counters.AddUnknown();
            counters.AddError("UnknownMessage", 1);
            registry.Abandon();
            return;
        }

        if (parsed.Objects.Count == 0)
        {
            if (parsed.Kind == NotificationKind.TestEvent)
            {
                Log.TestEvent(logger, message.MessageId);
            }
            else
            {
                Log.NothingToProcess(logger, message.MessageId, parsed.IgnoredEvents);
            }

            registry.AcknowledgeNow(message, received, now + visibilityTimeout);
            return;
        }

        var inFlight = registry.Add(message, parsed.Objects.Count, received, now + visibilityTimeout);
        foreach (var reference in parsed.Objects)
        {
            // Waits while the pipeline is full: this is where backpressure reaches the receiver. If shutdown cancels
            // the wait, the message's remaining objects are never processed, so it is never deleted: it comes back.
            await output.WriteAsync(createWork(reference, inFlight), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string BodyStart(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
