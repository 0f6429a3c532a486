namespace TrailSieve.Worker.Sqs;

/// <summary>One entry of a batch call that SQS refused.</summary>
internal sealed record EntryFailure(string MessageId, string Code, string Message)
{
    /// <summary>The receipt handle is no longer valid: the message was deleted, or received again by someone else.</summary>
    public bool IsReceiptHandleInvalid =>
        Code.Contains("ReceiptHandleIsInvalid", StringComparison.Ordinal) || Code.Contains("InvalidParameterValue", StringComparison.Ordinal);
}
