namespace TrailSieve.Deploy.Settings;

/// <summary>Fixed parts of the deployment: the output bucket's layout and the backfill task's readers.</summary>
public sealed partial record DeploySettings
{
    public const string ReportsPrefix = "reports/";
    public const string AlertsPrefix = "alerts/";
    public const string AthenaResultsPrefix = "athena-results/";

    /// <summary>Backfill checkpoints (one document per source and target), so a Fargate backfill task can resume.</summary>
    public const string CheckpointsPrefix = "checkpoints/";

    /// <summary>
    /// Objects the backfill task reads at once. A backfill is mostly small objects, each costing a GET round trip
    /// (about 30 ms): 2 readers top out near 57 objects/s, 8 at the 200 a task filters (docs/design/scaling.md).
    /// </summary>
    public const int BackfillReadParallelism = 8;

    /// <summary>Prefixes of the output bucket the stack gives other jobs.</summary>
    private static readonly string[] s_reservedPrefixes = [ReportsPrefix, AlertsPrefix, AthenaResultsPrefix, CheckpointsPrefix];
}
