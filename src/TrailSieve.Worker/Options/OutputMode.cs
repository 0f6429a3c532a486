namespace TrailSieve.Worker.Options;

public enum OutputMode
{
    /// <summary>One output object per input object, under the same key (what the Go Lambdas do); idempotent.</summary>
    Mirror,

    /// <summary>Records grouped by account, region and day into objects flushed by size or age.</summary>
    Batch,
}
