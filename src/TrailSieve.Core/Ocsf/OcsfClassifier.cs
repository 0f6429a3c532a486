namespace TrailSieve.Core.Ocsf;

/// <summary>
/// Decides a CloudTrail record's OCSF class and activity from its eventSource and eventName:
/// <list type="bullet">
/// <item>Authentication (3002): every event of <c>signin.amazonaws.com</c>. ConsoleLogin, SwitchRole,
/// ExternalIdPDirectoryLogin and UserAuthentication are Logon (1); GetSigninToken (federation's sign-in token) is
/// Authentication Ticket (3); the rest (CheckMfa, CredentialChallenge, CredentialVerification, ...) Other (99).</item>
/// <item>Account Change (3001): the IAM calls that create, delete or change an IAM user or its credentials or
/// policies (<see cref="AccountChanges"/>).</item>
/// <item>API Activity (6003): everything else, its activity by the verb the eventName starts with (Create, Read,
/// Update, Delete), or Read when readOnly is true, else Other (99).</item>
/// </list>
/// </summary>
public static class OcsfClassifier
{
    public const string SigninSource = "signin.amazonaws.com";

    public const string IamSource = "iam.amazonaws.com";

    /// <summary>The IAM eventNames that are Account Change, with their activity.</summary>
    public static IReadOnlyDictionary<string, (int Id, string Name)> AccountChanges { get; } = new Dictionary<string, (int, string)>(StringComparer.Ordinal)
    {
        ["CreateUser"] = (1, "Create"),
        ["DeleteUser"] = (6, "Delete"),
        ["CreateLoginProfile"] = (2, "Enable"),
        ["DeleteLoginProfile"] = (5, "Disable"),
        ["UpdateLoginProfile"] = (4, "Password Reset"),
        ["ChangePassword"] = (3, "Password Change"),
        ["AttachUserPolicy"] = (7, "Attach Policy"),
        ["PutUserPolicy"] = (7, "Attach Policy"),
        ["DetachUserPolicy"] = (8, "Detach Policy"),
        ["DeleteUserPolicy"] = (8, "Detach Policy"),
        ["EnableMFADevice"] = (10, "MFA Factor Enable"),
        ["DeactivateMFADevice"] = (11, "MFA Factor Disable"),
        ["CreateAccessKey"] = (99, "Other"),
        ["DeleteAccessKey"] = (99, "Other"),
        ["UpdateAccessKey"] = (99, "Other"),
    };

    private static readonly string[] s_create = ["Create", "Put", "Add", "Run", "Register", "Import", "Allocate", "Issue", "Request", "Upload", "Copy", "Generate", "Assume"];
    private static readonly string[] s_read = ["Get", "Describe", "List", "Head", "Lookup", "Search", "Select", "Query", "Scan", "BatchGet", "Check", "View", "Download", "Preview", "Estimate", "Decrypt", "Verify"];
    private static readonly string[] s_update = ["Update", "Modify", "Set", "Change", "Enable", "Disable", "Tag", "Untag", "Associate", "Disassociate", "Start", "Stop", "Reset", "Replace", "Edit", "Rotate", "Restore", "Reboot", "Attach", "Apply", "Encrypt", "Reencrypt", "Authorize"];
    private static readonly string[] s_delete = ["Delete", "Remove", "Terminate", "Deregister", "Revoke", "Release", "Detach", "Purge", "Cancel", "Deactivate", "Unregister", "Destroy"];

    /// <summary>The class and activity of a record; <paramref name="accessKeyStatus"/> is UpdateAccessKey's requestParameters.status.</summary>
    public static OcsfActivity Classify(string eventSource, string eventName, bool? readOnly, string? accessKeyStatus = null)
    {
        if (string.Equals(eventSource, SigninSource, StringComparison.Ordinal))
        {
            return eventName switch
            {
                "ConsoleLogin" or "SwitchRole" or "ExternalIdPDirectoryLogin" or "UserAuthentication" => new(OcsfSchema.Authentication, 1, "Logon"),
                "GetSigninToken" => new(OcsfSchema.Authentication, 3, "Authentication Ticket"),
                _ => new(OcsfSchema.Authentication, 99, "Other"),
            };
        }

        if (string.Equals(eventSource, IamSource, StringComparison.Ordinal) && AccountChanges.TryGetValue(eventName, out var change))
        {
            if (eventName == "UpdateAccessKey")
            {
                change = accessKeyStatus switch
                {
                    "Active" => (2, "Enable"),
                    "Inactive" => (5, "Disable"),
                    _ => change,
                };
            }

            return new(OcsfSchema.AccountChange, change.Id, change.Name);
        }

        return ApiActivity(eventName, readOnly);
    }

    private static OcsfActivity ApiActivity(string eventName, bool? readOnly)
    {
        // Read first: readOnly is CloudTrail's own word, and e.g. "GetObject" must not be taken for anything else.
        if (readOnly == true || StartsWithVerb(eventName, s_read))
        {
            return new(OcsfSchema.ApiActivity, 2, "Read");
        }

        if (StartsWithVerb(eventName, s_delete))
        {
            return new(OcsfSchema.ApiActivity, 4, "Delete");
        }

        if (StartsWithVerb(eventName, s_create))
        {
            return new(OcsfSchema.ApiActivity, 1, "Create");
        }

        if (StartsWithVerb(eventName, s_update))
        {
            return new(OcsfSchema.ApiActivity, 3, "Update");
        }

        return new(OcsfSchema.ApiActivity, 99, "Other");
    }

    /// <summary>True when <paramref name="name"/> is one of <paramref name="verbs"/> followed by a capital letter, a digit or nothing ("Describe" and "DescribeRegions", not "Settle").</summary>
    private static bool StartsWithVerb(string name, string[] verbs)
    {
        foreach (var verb in verbs)
        {
            if (name.StartsWith(verb, StringComparison.Ordinal) && (name.Length == verb.Length || !char.IsAsciiLetterLower(name[verb.Length])))
            {
                return true;
            }
        }

        return false;
    }
}
