using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// The service's consumer of object outcomes: counts each against the message that announced it, and once a message
/// has all of its outcomes, hands it to the acknowledger (everything written or skipped) or to the releaser (any
/// object failed), with the visibility its <see cref="ReleasePolicy"/> gives the first failure; logged and counted.
/// Completes the deletes and releases channels when the outcomes end.
/// </summary>
internal sealed class MessageSettler(ReleasePolicy releasePolicy, ServiceCounters counters, ILogger logger)
{
    public async Task RunAsync(
        ChannelReader<ObjectOutcome> outcomes, ChannelWriter<InFlightMessage> deletes, ChannelWriter<MessageRelease> releases, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            while (await outcomes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (outcomes.TryRead(out var outcome))
                {
                    var message = outcome.Source.Origin as InFlightMessage
                        ?? throw new InvalidOperationException($"{outcome.Source.Name} reached the settler without its SQS message");
                    if (message.Complete(outcome))
                    {
                        await SettleAsync(message, deletes, releases, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex is OperationCanceledException ? null : ex;
            throw;
        }
        finally
        {
            deletes.TryComplete(failure);
            releases.TryComplete(failure);
        }
    }

    private async Task SettleAsync(
        InFlightMessage message, ChannelWriter<InFlightMessage> deletes, ChannelWriter<MessageRelease> releases, CancellationToken cancellationToken)
    {
        if (!message.AnyFailed)
        {
            await deletes.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var failure = message.FirstFailure!;
        var receiveCount = message.Message.ReceiveCount;
        var visibility = releasePolicy.DelayFor(failure, receiveCount);
        message.Activity?.SetStatus(ActivityStatusCode.Error, "released for redelivery: " + failure.ErrorType);
        counters.AddAbandoned();
        Log.MessageAbandoned(
            logger,
            message.Message.MessageId,
            visibility,
            receiveCount,
            failure.Retryable ? "retryable" : "not retryable",
            failure.Source.Name,
            failure.ErrorType ?? "?",
            failure.Error ?? "?");
        await releases.WriteAsync(new MessageRelease(message, visibility), cancellationToken).ConfigureAwait(false);
    }
}
