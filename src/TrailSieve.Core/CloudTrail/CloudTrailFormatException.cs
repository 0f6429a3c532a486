namespace TrailSieve.Core.CloudTrail;

/// <summary>A CloudTrail file cannot be read. Only that file fails; the message says why, the caller adds the name.</summary>
public sealed class CloudTrailFormatException : Exception
{
    public CloudTrailFormatException()
        : this(CloudTrailErrorKind.NotJson, "not a CloudTrail file")
    {
    }

    public CloudTrailFormatException(string message)
        : this(CloudTrailErrorKind.NotJson, message)
    {
    }

    public CloudTrailFormatException(string message, Exception innerException)
        : this(CloudTrailErrorKind.NotJson, message, innerException)
    {
    }

    public CloudTrailFormatException(CloudTrailErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public CloudTrailErrorKind Kind { get; }
}
