using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// The one place an object's outcome is made: counted, put on its span, logged, and sent forward on the outcomes
/// channel (to the SQS settler, backfill's partition tracker or the local commands' failure printer). Once per object.
/// </summary>
internal sealed class OutcomeReporter(ChannelWriter<ObjectOutcome> outcomes, PipelineCounters counters, TimeProvider timeProvider, ILogger logger)
{
    public async ValueTask ReportAsync(ObjectProgress obj, ObjectStatus status, CancellationToken cancellationToken)
    {
        if (obj.Reported)
        {
            return;
        }

        obj.Reported = true;
        var error = obj.Error;
        var end = obj.End;
        var outcome = new ObjectOutcome(
            obj.Object.Source,
            status,
            obj.Records,
            obj.Kept,
            obj.Dropped,
            end?.SourceBytes ?? 0,
            end?.DecodedBytes ?? 0,
            timeProvider.GetElapsedTime(obj.Object.StartTimestamp),
            error switch
            {
                null => null,
                CloudTrailFormatException format => format.Kind.ToString(),
                _ => error.GetType().Name,
            },
            error?.Message,
            error is not null && ObjectFailures.IsRetryable(error),
            obj.Quarantined,
            obj.Deduplicated,
            (error as IRetryAfter)?.RetryAfter ?? TimeSpan.Zero);
        counters.AddObject(outcome);
        Trace(obj.Object.Activity, outcome);
        Log(obj, outcome);
        await outcomes.WriteAsync(outcome, cancellationToken).ConfigureAwait(false);
    }

    private static void Trace(Activity? activity, ObjectOutcome outcome)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("trailsieve.records", outcome.Records);
        activity.SetTag("trailsieve.kept", outcome.Kept);
        activity.SetTag("trailsieve.status", outcome.Status.ToString());
        if (outcome.Status == ObjectStatus.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome.ErrorType);
        }

        activity.Stop();
    }

    private void Log(ObjectProgress obj, ObjectOutcome outcome)
    {
        var name = obj.Object.Name;
        switch (outcome.Status)
        {
            case ObjectStatus.Failed:
                Pipeline.Log.ObjectFailed(logger, name, outcome.ErrorType!, outcome.Error!);
                break;
            case ObjectStatus.Skipped when obj.End?.SkipReason is { } reason:
                Pipeline.Log.ObjectSkipped(logger, name, reason);
                break;
            case ObjectStatus.Skipped:
                Pipeline.Log.DigestSkipped(logger, name);
                break;
            default:
                Pipeline.Log.ObjectFiltered(logger, name, outcome.Records, outcome.Kept, outcome.Dropped, outcome.Quarantined, outcome.Deduplicated, (long)outcome.Elapsed.TotalMilliseconds);
                break;
        }
    }
}
