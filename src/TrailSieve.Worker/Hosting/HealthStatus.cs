namespace TrailSieve.Worker.Hosting;

/// <summary>The heartbeat's state and age (zero when <see cref="HeartbeatState.Missing"/>).</summary>
internal readonly record struct HealthStatus(HeartbeatState State, TimeSpan Age);
