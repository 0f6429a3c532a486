using System.Globalization;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Cli;

/// <summary>Backfill's final summary line(s): what was skipped as already done, then what the action did (or, for a dry run, the estimate).</summary>
internal sealed class BackfillSummary(BackfillRequest request, BackfillConfiguration configured, BackfillProgress progress, PipelineCounters counters, BackfillCheckpoint checkpoint)
{
    /// <param name="output">Where the summary goes (stdout).</param>
    /// <param name="sent">Messages SQS accepted, for <c>--enqueue</c>.</param>
    public void Write(TextWriter output, long sent)
    {
        ArgumentNullException.ThrowIfNull(output);
        var objectsPerSecond = request.ObjectsPerSecond ?? BackfillEstimate.DefaultObjectsPerSecond(configured.Pipeline.ReadParallelism);
        var seconds = Math.Max(progress.Elapsed.TotalSeconds, 1e-6);
        if (progress.PartitionsSkipped > 0 || progress.ObjectsSkipped > 0)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"skipped as already done (checkpoint {checkpoint.Location}): {progress.PartitionsSkipped:N0} partitions, {progress.ObjectsSkipped:N0} more objects ({BackfillProgress.FormatBytes(progress.BytesSkipped)})"));
        }

        switch (request.Action)
        {
            case BackfillAction.DryRun:
                var estimate = BackfillEstimate.Of(progress.ObjectsListed, progress.BytesListed, request.RateMBps, objectsPerSecond, request.Tasks);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"dry run: partitions {progress.Partitions - progress.PartitionsSkipped:N0} to do, objects {progress.ObjectsListed:N0}, {BackfillProgress.FormatBytes(progress.BytesListed)} compressed; listed in {seconds:F1} s"));
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"estimate per task at {request.RateMBps:F1} MB/s compressed and {objectsPerSecond:N0} objects/s ({(estimate.ObjectBound ? "objects" : "bytes")} take longer): {BackfillProgress.FormatDuration(estimate.PerTask)} with 1 task{(request.Tasks > 1 ? $", {BackfillProgress.FormatDuration(estimate.WithTasks)} with {request.Tasks} tasks" : string.Empty)}"));
                break;
            case BackfillAction.Enqueue:
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"enqueued {sent:N0} messages ({BackfillProgress.FormatBytes(progress.BytesDone)} of objects) from {progress.Partitions - progress.PartitionsSkipped:N0} partitions to {request.QueueUrl}, failed {progress.ObjectsFailed:N0}, {seconds:F1} s"));
                break;
            default:
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"partitions {progress.Partitions - progress.PartitionsSkipped:N0} (done {progress.PartitionsDone:N0}), files {counters.Files:N0} (failed {counters.FilesFailed:N0}, skipped {counters.FilesSkipped:N0}), records {counters.Records:N0}, kept {counters.Kept:N0}, dropped {counters.Dropped:N0}, quarantined {counters.Quarantined:N0}, filter rate {counters.FilterRate:P1}, outputs {counters.OutputObjects:N0}, {(configured.Detections.Enabled ? $"findings {counters.FindingCount:N0}, " : string.Empty)}{counters.SourceBytes / 1e6 / seconds:F1} MB/s compressed ({counters.DecodedBytes / 1e6 / seconds:F1} MB/s), {seconds:F1} s"));
                break;
        }
    }
}
