using System.ComponentModel.DataAnnotations;

namespace TrailSieve.Worker.Options;

/// <summary>The liveness heartbeat file <c>trailsieve health</c> checks (ECS has no HTTP probe to offer). Section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Default of <see cref="HeartbeatFile"/>: writable by the image's non-root user.</summary>
    public const string DefaultHeartbeatFile = "/tmp/trailsieve.heartbeat";

    /// <summary>File touched (UTC time, ISO-8601) while the worker makes progress. Default <c>/tmp/trailsieve.heartbeat</c>.</summary>
    [Required]
    public string HeartbeatFile { get; set; } = DefaultHeartbeatFile;

    /// <summary>
    /// A heartbeat older than this is stale (the health check fails), and a worker silent this long stops touching
    /// the file. The file is touched every quarter of it. Default 60 s; 5 s to 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(60);
}
