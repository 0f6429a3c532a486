namespace TrailSieve.Worker.Options;

/// <summary>What the kept records are written as (<c>Output:Format</c>, <c>--format</c>).</summary>
public enum OutputFormat
{
    /// <summary>CloudTrail's own gzip <c>{"Records":[...]}</c> documents, every record's original bytes (the default).</summary>
    CloudTrail,

    /// <summary>OCSF 1.1.0 events in zstd Parquet, one class per object, in Amazon Security Lake's custom-source layout (batch mode only).</summary>
    Ocsf,
}
