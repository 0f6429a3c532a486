namespace TrailSieve.Analytics.Engine;

/// <summary>The kinds of file the view reads.</summary>
public enum DataFileKind
{
    Other,
    Json,
    Parquet,
}
