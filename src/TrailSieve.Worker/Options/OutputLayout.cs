using TrailSieve.Core.Analytics;

namespace TrailSieve.Worker.Options;

/// <summary>Named batch key templates (<c>--layout</c>); <see cref="OutputOptions.KeyTemplate"/> takes any other.</summary>
public enum OutputLayout
{
    /// <summary>CloudTrail's own layout (<see cref="OutputOptions.DefaultKeyTemplate"/>), so existing tooling finds the files.</summary>
    CloudTrail,

    /// <summary>Hive-style partitions that Athena reads through partition projection (<see cref="CloudTrailTable.HiveKeyTemplate"/>).</summary>
    Hive,
}

/// <summary>Maps a layout to its key template.</summary>
public static class OutputLayouts
{
    public static string KeyTemplate(OutputLayout layout) => layout switch
    {
        OutputLayout.CloudTrail => OutputOptions.DefaultKeyTemplate,
        OutputLayout.Hive => CloudTrailTable.HiveKeyTemplate,
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown layout"),
    };
}
