namespace TrailSieve.Analytics.Storage;

/// <summary>What one unit of work needs to download does not fit the spool's size limit; the message names the unit.</summary>
public sealed class SpoolLimitException : IOException
{
    public SpoolLimitException()
    {
    }

    public SpoolLimitException(string message)
        : base(message)
    {
    }

    public SpoolLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
