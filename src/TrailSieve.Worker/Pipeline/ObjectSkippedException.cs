namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Thrown by <see cref="SourceObject.OpenAsync"/> when an object is deliberately not processed (it was deleted since it
/// was announced): the object is reported skipped with this reason, and its message may be acknowledged.
/// </summary>
public sealed class ObjectSkippedException : Exception
{
    public ObjectSkippedException()
    {
    }

    public ObjectSkippedException(string message)
        : base(message)
    {
    }

    public ObjectSkippedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
