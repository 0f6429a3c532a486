using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace TrailSieve.Worker.Pipeline;

/// <summary>How the compositions make their channels: bounded, FullMode Wait (the Drop modes report success while dropping).</summary>
internal static class PipelineChannels
{
    /// <summary>Capacity of an outcomes channel: its consumer only counts and settles, so it rarely holds any.</summary>
    public const int OutcomeCapacity = 64;

    public static Channel<T> Bounded<T>(int capacity, bool singleReader = false, bool singleWriter = false) =>
        Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = singleReader,
            SingleWriter = singleWriter,
        });

    /// <summary>Items waiting in each named channel now (the channel-depth gauge).</summary>
    public static IEnumerable<Measurement<int>> Depths(IEnumerable<(string Name, Func<int> Count)> channels)
    {
        foreach (var (name, count) in channels)
        {
            yield return new Measurement<int>(count(), new KeyValuePair<string, object?>("channel", name));
        }
    }
}
