namespace TrailSieve.Worker.Output;

/// <summary>
/// A sink that can keep a delivery ledger beside its output objects (S3). The local folder of <c>filter</c> has none:
/// local files have no redelivery, and a deliberate rerun into the same folder should write again, not skip.
/// </summary>
internal interface ILedgeredSink : IObjectSink
{
    /// <summary>The ledger storage in the sink's own bucket.</summary>
    ILedgerStore CreateLedgerStore();
}
