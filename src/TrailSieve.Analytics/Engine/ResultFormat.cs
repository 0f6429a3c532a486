namespace TrailSieve.Analytics.Engine;

/// <summary>How query results are printed.</summary>
public enum ResultFormat
{
    /// <summary>Aligned columns for a terminal.</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header line.</summary>
    Csv,

    /// <summary>JSON Lines: one object per row.</summary>
    Json,
}
