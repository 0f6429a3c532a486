namespace TrailSieve.Core.Batching;

/// <summary>
/// One kept record of a piece: where it sits in the piece's uncompressed text (<see cref="Offset"/>, <see cref="Length"/>)
/// and who it is, for the batch window's duplicate check: a hash of its eventID, a hash of its whole bytes, and where
/// the eventID's bytes are in <see cref="PieceIdentities"/>. <see cref="IdLength"/> is 0 for a record without an
/// eventID (never merged with another).
/// </summary>
public readonly record struct RecordIdentity(int Offset, int Length, ulong IdHash, ulong BodyHash, int IdStart, int IdLength)
{
    public bool HasEventId => IdLength > 0;
}
