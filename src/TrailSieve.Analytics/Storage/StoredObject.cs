namespace TrailSieve.Analytics.Storage;

/// <summary>One object of a store: its key relative to the store's root, and its size.</summary>
public sealed record StoredObject(string Key, long Size);
