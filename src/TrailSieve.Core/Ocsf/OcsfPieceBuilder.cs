using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf.Model;

namespace TrailSieve.Core.Ocsf;

/// <summary>
/// Collects the OCSF events of one chunk's kept records for one partition (account, region, day and class) into an
/// <see cref="OutputPiece"/>; with <c>identities</c>, also notes each record's identity for the batch window, as
/// <see cref="PieceBuilder"/> does for gzip pieces (offsets are the records' places in the chunk's text, only used to
/// count their bytes).
/// </summary>
public sealed class OcsfPieceBuilder(PartitionKey partition, bool identities = false) : IDisposable
{
    private readonly List<OcsfEvent> _events = [];
    private PieceIdentities? _identities = identities ? new PieceIdentities() : null;
    private long _rawBytes;

    public PartitionKey Partition { get; } = partition;

    /// <summary>Appends the event mapped from <paramref name="record"/>, whose eventID value is <paramref name="eventId"/> (empty: none).</summary>
    public void Append(OcsfEvent ocsf, ReadOnlySpan<byte> record, ReadOnlySpan<byte> eventId)
    {
        _identities?.Add(checked((int)_rawBytes), record, eventId);
        _events.Add(ocsf);
        _rawBytes += record.Length;
    }

    public OutputPiece Build()
    {
        var identities = _identities;
        _identities = null;
        return OutputPiece.OfEvents(Partition, _events, _rawBytes, identities);
    }

    public void Dispose()
    {
        _identities?.Dispose();
        _identities = null;
    }
}
