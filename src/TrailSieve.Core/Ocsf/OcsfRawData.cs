namespace TrailSieve.Core.Ocsf;

/// <summary>Where an OCSF event keeps the CloudTrail record it was mapped from (<c>Output:OcsfRawData</c>).</summary>
public enum OcsfRawData
{
    /// <summary>Nowhere: only the mapped attributes (smallest objects; the original is lost).</summary>
    None,

    /// <summary>The record's exact text in <c>raw_data</c> (the default: nothing is lost).</summary>
    RawData,

    /// <summary>The record's top-level fields that no attribute holds, each as its JSON text, in the <c>unmapped</c> map.</summary>
    Unmapped,
}
