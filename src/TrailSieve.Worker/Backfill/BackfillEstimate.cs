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
    public static BackfillEstimate Of(long objects, long bytes, double megabytesPerSecond, double objectsPerSecond, int tasks)
    {
        var byBytes = bytes / (Math.Max(megabytesPerSecond, 1e-6) * 1e6);
        var byObjects = objects / Math.Max(objectsPerSecond, 1e-6);
        // Capped so that a rate near zero (nothing done yet) gives a very long time, not an overflow.
        var seconds = Math.Min(Math.Max(byBytes, byObjects), TimeSpan.MaxValue.TotalSeconds / 2);
        return new BackfillEstimate(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds / Math.Max(tasks, 1)), byObjects > byBytes);
    }
}
