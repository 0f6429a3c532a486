using System.Globalization;

namespace TrailSieve.Worker.Detections;

/// <summary>
/// Where findings objects go. In a bucket they are partitioned by the UTC day of the records' eventTime:
/// <c>{prefix}yyyy/MM/dd/findings-{id}.jsonl.gz</c>; in a local alerts folder they sit flat as
/// <c>findings-{id}.jsonl.gz</c>.
/// </summary>
internal sealed class AlertsLayout(string prefix, bool partitionByDay)
{
    public static AlertsLayout Flat { get; } = new(string.Empty, partitionByDay: false);

    public bool PartitionByDay { get; } = partitionByDay;

    public string Prefix { get; } = prefix;

    /// <summary>The partition a finding of <paramref name="day"/> goes to (one partition when flat).</summary>
    public DateOnly PartitionOf(DateOnly day) => PartitionByDay ? day : default;

    public string Key(DateOnly partition, string id) => PartitionByDay
        ? string.Create(CultureInfo.InvariantCulture, $"{Prefix}{partition:yyyy}/{partition:MM}/{partition:dd}/findings-{id}.jsonl.gz")
        : $"{Prefix}findings-{id}.jsonl.gz";
}
