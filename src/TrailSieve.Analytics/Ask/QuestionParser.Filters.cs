namespace TrailSieve.Analytics.Ask;

/// <summary>Filters: console logins, MFA, outcome (failed, denied, successful, read-only, write), identity, where (IP, region, account).</summary>
internal sealed partial class QuestionParser
{
    private bool Login()
    {
        if (W(0) == "console" && (Vocabulary.LoginWords.Contains(W(1)) || W(1) is "signin" or "sign-in"))
        {
            return Set(2, "console logins (eventName ConsoleLogin)", () => Model.ConsoleLogin = true);
        }

        return Vocabulary.LoginWords.Contains(W(0)) && Set(1, "console logins (eventName ConsoleLogin)", () => Model.ConsoleLogin = true);
    }

    private bool Mfa()
    {
        if (W(0) is "with" or "using" && W(1) == "mfa")
        {
            return Set(2, "MFA used (additionalEventData.MFAUsed = Yes)", () => Model.Mfa = true);
        }

        if ((W(0) is "without" or "no" && W(1) == "mfa") || (W(0) == "with" && W(1) == "no" && W(2) == "mfa"))
        {
            return Set(W(0) == "with" ? 3 : 2, "MFA not used (additionalEventData.MFAUsed = No)", () => Model.Mfa = false);
        }

        return false;
    }

    private bool Outcome()
    {
        if (W(0) == "access" && W(1) == "denied")
        {
            return Set(2, "denied (errorCode like AccessDenied/Unauthorized/Forbidden)", () => Model.Denied = true);
        }

        if (Vocabulary.DeniedWords.Contains(W(0)))
        {
            return Set(1, "denied (errorCode like AccessDenied/Unauthorized/Forbidden)", () => Model.Denied = true);
        }

        if (Vocabulary.FailedWords.Contains(W(0)))
        {
            return Set(1, "failed (an errorCode is set; for console logins, ConsoleLogin = Failure)", () => Model.Failed = true);
        }

        if (Vocabulary.SucceededWords.Contains(W(0)))
        {
            return Set(1, "succeeded (no errorCode; for console logins, ConsoleLogin = Success)", () => Model.Succeeded = true);
        }

        if (W(0) is "read-only" or "readonly" or "reads" || (W(0) == "read" && W(1) is "only" or "events" or "calls" or "operations" or "actions" or "api"))
        {
            return Set(W(0) == "read" && W(1) == "only" ? 2 : 1, "read-only calls (readOnly = true)", () => Model.ReadOnly = true);
        }

        if (W(0) is "write" or "writes" or "mutating" or "modifying" or "non-read-only")
        {
            return Set(1, "write calls (readOnly = false)", () => Model.ReadOnly = false);
        }

        return false;
    }

    private bool Identity()
    {
        if (W(0) == "root")
        {
            var length = W(1) is "user" or "account" or "usage" or "identity" ? 2 : 1;
            return Set(length, "the root user (userIdentity.type = Root)", () => Model.Root = true);
        }

        var at = W(0) == "by" && W(1) is "user" or "principal" or "role" or "identity" ? 1 : 0;
        if (W(at) is "user" or "principal" or "role" or "identity" && IsName(at + 1))
        {
            var name = _original[_at + at + 1];
            return W(at) == "role"
                ? Set(at + 2, $"role {name} (userIdentity.sessionContext.sessionIssuer.userName)", () => Model.Roles.Add(name))
                : Set(at + 2, $"principal {name} (user name, else role name)", () => Model.Principals.Add(name));
        }

        if (W(0) == "by" && IsName(1))
        {
            // A bare "by NAME" is a principal only where it cannot be a grouping the parser does not know: a count
            // that is not grouped yet wants a dimension after "by", and a misspelt dimension is not a user's name.
            var name = _original[_at + 1];
            if (Model.GroupBy is null && Model.Shape != QuestionShape.List)
            {
                return NotUnderstood(2, name, $"\"{name}\" is not something to count by ({Vocabulary.DimensionList}); for a principal, say \"by user {name}\"");
            }

            if (Vocabulary.NearDimension(W(1)) is { } meant)
            {
                return NotUnderstood(2, name, $"\"{name}\" looks like \"{meant}\" misspelt; for a principal of that name, say \"by user {name}\"");
            }

            return Set(2, $"principal {name} (user name, else role name)", () => Model.Principals.Add(name));
        }

        return false;
    }

    private bool Where()
    {
        var at = W(0) is "from" or "ip" or "by" ? 1 : W(0) == "source" && W(1) == "ip" ? 2 : 0;
        if (IsIp(W(at)))
        {
            var ip = W(at);
            return Set(at + 1, $"source IP {ip}", () => Model.SourceIps.Add(ip));
        }

        at = W(0) is "in" or "region" or "by" && IsRegion(W(1)) ? 1 : W(0) == "in" && W(1) == "region" ? 2 : 0;
        if (IsRegion(W(at)))
        {
            var region = W(at);
            return Set(at + 1, $"region {region}", () => Model.Regions.Add(region));
        }

        at = W(0) == "in" && W(1) == "account" ? 2 : W(0) is "account" or "by" ? 1 : 0;
        if (IsAccount(W(at)))
        {
            var account = W(at);
            return Set(at + 1, $"account {account}", () => Model.Accounts.Add(account));
        }

        return false;
    }
}
