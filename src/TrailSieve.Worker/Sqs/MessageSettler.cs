using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// The service's consumer of object outcomes: counts each against the message that announced it, and once a message
/// has all of its outcomes, hands it to the acknowledger (everything written or skipped) or leaves it for redelivery
/// (any object failed), logged and counted. Completes the deletes channel when the outcomes end.
/// </summary>
internal sealed class MessageSettler(InFlightRegistry registry, ServiceCounters counters, ILogger logger)
{
    public async Task RunAsync(ChannelReader<ObjectOutcome> outcomes, ChannelWriter<InFlightMessage> deletes, CancellationToken cancellationToken)
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
                        await SettleAsync(message, deletes, cancellationToken).ConfigureAwait(false);
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
        }
    }

    private async Task SettleAsync(InFlightMessage message, ChannelWriter<InFlightMessage> deletes, CancellationToken cancellationToken)
    {
        if (!message.AnyFailed)
        {
            await deletes.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var failure = message.FirstFailure;
        message.Activity?.SetStatus(ActivityStatusCode.Error, "left for redelivery: " + failure?.ErrorType);
        registry.Release(message);
        counters.AddAbandoned();
        Log.MessageAbandoned(
            logger, message.Message.MessageId, message.Message.ReceiveCount, failure?.Source.Name ?? "?", failure?.ErrorType ?? "?", failure?.Error ?? "?");
    }
}
