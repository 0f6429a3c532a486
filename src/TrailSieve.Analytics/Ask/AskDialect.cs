namespace TrailSieve.Analytics.Ask;

/// <summary>The SQL dialect <c>ask</c> writes.</summary>
public enum AskDialect
{
    /// <summary>The local engine's <c>cloudtrail</c> view (eventtime is a TIMESTAMP, flattened identity columns).</summary>
    DuckDb,

    /// <summary>The Athena table of <c>athena-ddl</c> (eventtime is an ISO 8601 string, userIdentity a struct).</summary>
    Athena,
}
