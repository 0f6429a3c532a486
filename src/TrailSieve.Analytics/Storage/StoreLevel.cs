namespace TrailSieve.Analytics.Storage;

/// <summary>One level of a store: the objects directly under a prefix, and its sub-folders (keys ending with '/').</summary>
public sealed record StoreLevel(IReadOnlyList<StoredObject> Objects, IReadOnlyList<string> Folders);
