namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// An output object (a batch, findings) could not be made durable: every object it held fails, and is retried where a
/// queue redelivers it. Its message names the output; the inner exception says why.
/// </summary>
public sealed class OutputCommitException : IOException
{
    public OutputCommitException()
    {
    }

    public OutputCommitException(string message)
        : base(message)
    {
    }

    public OutputCommitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
