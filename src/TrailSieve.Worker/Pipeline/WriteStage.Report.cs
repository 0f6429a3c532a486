using System.Diagnostics;
using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Worker.Pipeline;

/// <summary>The one place an object's outcome is reported: counters, trace, log, and the observers (the SQS message's among them).</summary>
internal sealed partial class WriteStage
{
    private void Report(FileContext file, ObjectStatus status)
    {
        if (file.Reported)
        {
            return;
        }

        file.Reported = true;
        var error = file.Error;
        var outcome = new ObjectOutcome(
            file.Work,
            status,
            file.Records,
            file.Kept,
            file.Dropped,
            file.SourceBytes,
            file.DecodedBytes,
            _timeProvider.GetElapsedTime(file.StartTimestamp),
            error switch
            {
                null => null,
                CloudTrailFormatException format => format.Kind.ToString(),
                _ => error.GetType().Name,
            },
            error?.Message);
        _counters.AddObject(outcome);
        if (file.Activity is { } activity)
        {
            activity.SetTag("trailsieve.records", file.Records);
            activity.SetTag("trailsieve.kept", file.Kept);
            activity.SetTag("trailsieve.status", status.ToString());
            if (status == ObjectStatus.Failed)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome.ErrorType);
            }

            activity.Stop();
        }

        switch (status)
        {
            case ObjectStatus.Failed:
                Log.ObjectFailed(_logger, file.Work.Name, outcome.ErrorType!, outcome.Error!);
                break;
            case ObjectStatus.Skipped when file.SkipReason is not null:
                Log.ObjectSkipped(_logger, file.Work.Name, file.SkipReason);
                break;
            case ObjectStatus.Skipped:
                Log.DigestSkipped(_logger, file.Work.Name);
                break;
            default:
                Log.ObjectFiltered(_logger, file.Work.Name, file.Records, file.Kept, file.Dropped, (long)outcome.Elapsed.TotalMilliseconds);
                break;
        }

        _observer?.OnCompleted(outcome);
        file.Work.Observer?.OnCompleted(outcome);
    }
}
