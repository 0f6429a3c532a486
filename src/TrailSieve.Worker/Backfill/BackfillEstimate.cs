namespace TrailSieve.Worker.Backfill;

/// <summary>
/// How long a backfill takes, from what a dry run listed and a task's two limits: the compressed bytes it filters
/// per second and the objects it reads per second (each object costs a GET round trip whatever its size). The limit
/// that takes longer decides; N tasks share the work evenly.
/// </summary>
/// <param name="PerTask">The time with one task.</param>
/// <param name="WithTasks">The time with the given number of tasks.</param>
/// <param name="ObjectBound">True when the object rate, not the byte rate, sets the time.</param>
internal sealed record BackfillEstimate(TimeSpan PerTask, TimeSpan WithTasks, bool ObjectBound)
{
    /// <summary>
    /// Compressed input one task filters per second, for the dry-run estimate: measured for backfill and the service on
    /// one core with S3 on another (bench/service.sh, 6.0 to 6.3 MB/s), the deployment's default 1-vCPU task
    /// (docs/design/scaling.md). <c>--rate</c> overrides it; a 2-vCPU task does about 11.
    /// </summary>
    public const double DefaultRateMBps = 6.0;

    /// <summary>Objects one task reads per second when S3 answers at once: measured on small objects (bench/small-objects.sh, about 200 at 32.5 kB).</summary>
    public const double MeasuredObjectsPerSecond = 200;

    /// <summary>An in-region S3 GET of a small object, first byte to last: what a local emulator does not have.</summary>
    public static readonly TimeSpan AssumedGetLatency = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// Objects one task reads per second, for the dry-run estimate: each reader spends a GET's latency and the
    /// object's own work (1 / the measured rate) on every object, so <paramref name="readParallelism"/> readers manage
    /// readers / (latency + work), and never more than the measured rate, which is what the task's CPU allows. With
    /// the worker's default of 2 readers that is 57; with the deployed backfill task's 8, 200.
    /// </summary>
    public static double DefaultObjectsPerSecond(int readParallelism) =>
        Math.Min(MeasuredObjectsPerSecond, readParallelism / (AssumedGetLatency.TotalSeconds + (1 / MeasuredObjectsPerSecond)));

    public static BackfillEstimate Of(long objects, long bytes, double megabytesPerSecond, double objectsPerSecond, int tasks)
    {
        var byBytes = bytes / (Math.Max(megabytesPerSecond, 1e-6) * 1e6);
        var byObjects = objects / Math.Max(objectsPerSecond, 1e-6);
        // Capped so that a rate near zero (nothing done yet) gives a very long time, not an overflow.
        var seconds = Math.Min(Math.Max(byBytes, byObjects), TimeSpan.MaxValue.TotalSeconds / 2);
        return new BackfillEstimate(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds / Math.Max(tasks, 1)), byObjects > byBytes);
    }
}
