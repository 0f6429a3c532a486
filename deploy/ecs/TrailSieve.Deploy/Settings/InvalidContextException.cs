namespace TrailSieve.Deploy.Settings;

/// <summary>A CDK context value (<c>-c key=value</c>) is missing or invalid; the message names the key.</summary>
public sealed class InvalidContextException : Exception
{
    public InvalidContextException()
    {
    }

    public InvalidContextException(string message)
        : base(message)
    {
    }

    public InvalidContextException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
