namespace TrailSieve.Worker.Hosting;

/// <summary>What <see cref="HeartbeatFile.Check"/> found.</summary>
internal enum HeartbeatState
{
    /// <summary>The last heartbeat is at most the maximum age old.</summary>
    Fresh,

    /// <summary>The last heartbeat is older than the maximum age: the worker stopped making progress.</summary>
    Stale,

    /// <summary>No heartbeat file, or one without a readable time in it.</summary>
    Missing,
}
