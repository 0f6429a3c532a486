using System.Globalization;

namespace TrailSieve.Worker.Detections;

/// <summary>
/// Where findings objects go. In a bucket they are partitioned by the UTC day of the records' eventTime:
/// <c>{prefix}yyyy/MM/dd/findings-{id}.jsonl.gz</c> (a finding whose record has no eventTime under the day it is
/// written, see Pipeline/Writing/FindingsWriter.cs); in a local findings folder (`--alerts`) they sit flat as <c>findings-{id}.jsonl.gz</c>.
/// </summary>
internal sealed class FindingsLayout(string prefix, bool partitionByDay)
{
    public static FindingsLayout Flat { get; } = new(string.Empty, partitionByDay: false);

    public bool PartitionByDay { get; } = partitionByDay;

    public string Prefix { get; } = prefix;

    /// <summary>
    /// The partition a finding of <paramref name="day"/> goes to: its day, or null for one without a day (the writer
    /// picks the day it writes it); when flat, one partition for all.
    /// </summary>
    public DateOnly? PartitionOf(DateOnly? day) => PartitionByDay ? day : default(DateOnly);

    public string Key(DateOnly partition, string id) => PartitionByDay
        ? string.Create(CultureInfo.InvariantCulture, $"{Prefix}{partition:yyyy}/{partition:MM}/{partition:dd}/findings-{id}.jsonl.gz")
        : $"{Prefix}findings-{id}.jsonl.gz";
}
