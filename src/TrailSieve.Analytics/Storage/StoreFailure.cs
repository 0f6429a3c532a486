namespace TrailSieve.Analytics.Storage;

/// <summary>What a <see cref="StoreException"/> means for the work at hand.</summary>
public enum StoreFailure
{
    /// <summary>One object is gone (deleted since it was listed): the work that needed it fails, the rest can go on.</summary>
    ObjectMissing,

    /// <summary>The store cannot be used (access denied, no such bucket, no credentials or region, still throttled after retries): stop.</summary>
    Unavailable,
}
