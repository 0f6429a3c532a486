namespace TrailSieve.Analytics.Engine;

/// <summary>Resource limits of the embedded engine.</summary>
public sealed record EngineOptions
{
    /// <summary>DuckDB's memory limit; beyond it, operators spill to <see cref="TempDirectory"/>. Default 1 GiB.</summary>
    public long MemoryLimitBytes { get; init; } = 1L << 30;

    /// <summary>Worker threads; default the number of cores.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Where DuckDB spills; default a new folder under the system temporary folder, removed on dispose.</summary>
    public string? TempDirectory { get; init; }
}
