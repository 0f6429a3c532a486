namespace TrailSieve.Analytics.Reports;

/// <summary>
/// The high-risk actions of the detections issue, as <c>service:Action</c>: eventSource
/// <c>service.amazonaws.com</c> and eventName <c>Action</c>.
/// </summary>
public static class HighRiskActions
{
    public static readonly IReadOnlyList<string> All =
    [
        "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateAccessKey", "iam:DeleteUser", "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "ec2:AuthorizeSecurityGroupIngress", "iam:PassRole",
    ];

    public static (string EventSource, string EventName) Split(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        return (action[..colon] + ".amazonaws.com", action[(colon + 1)..]);
    }
}
