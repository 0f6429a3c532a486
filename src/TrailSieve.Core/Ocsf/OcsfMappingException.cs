namespace TrailSieve.Core.Ocsf;

/// <summary>A CloudTrail record that cannot become an OCSF event (no eventTime, no eventName, ...): the message says why.</summary>
public sealed class OcsfMappingException : Exception
{
    public OcsfMappingException()
    {
    }

    public OcsfMappingException(string message)
        : base(message)
    {
    }

    public OcsfMappingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
