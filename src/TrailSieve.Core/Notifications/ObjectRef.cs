namespace TrailSieve.Core.Notifications;

/// <summary>One S3 object a notification announced.</summary>
/// <param name="Bucket">The bucket name.</param>
/// <param name="Key">The object key, decoded (the exact key to pass to GetObject).</param>
/// <param name="Size">The object's size in bytes when the notification gave it (CloudTrail's own delivery does not).</param>
public readonly record struct ObjectRef(string Bucket, string Key, long? Size);
