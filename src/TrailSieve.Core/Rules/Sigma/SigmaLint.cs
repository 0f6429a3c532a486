namespace TrailSieve.Core.Rules.Sigma;

/// <summary>
/// Finds Sigma rules that can never fire, or fire on every record, given what CloudTrail records can hold: the
/// top-level fields and <c>userIdentity</c>'s fields of the CloudTrail record contents reference, the fields every
/// record has, and the values a few fields take. Each test of a rule is judged true, false or unknown on that
/// schema alone, and the condition folded: a rule that folds to false never fires, one that folds to true always
/// fires. A test that is always false inside a rule that still can fire is reported too (dead code, such as
/// <c>errorCode: Success</c>: CloudTrail omits errorCode on success). Only ever conclusive where the schema is: the
/// free-form objects (requestParameters, responseElements, ...) are unknown, never judged.
/// </summary>
internal static class SigmaLint
{
    private enum Truth
    {
        False,
        True,
        Unknown,
    }

    /// <summary>Top-level fields of a CloudTrail record (the record contents reference, management, data, network activity and insight events).</summary>
    private static readonly HashSet<string> s_topLevel = new(StringComparer.Ordinal)
    {
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
        "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
        "requestID", "eventID", "eventType", "apiVersion", "managementEvent", "readOnly", "resources",
        "recipientAccountId", "serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
        "eventCategory", "addendum", "sessionCredentialFromConsole", "edgeDeviceDetails", "tlsDetails",
        "insightDetails",
    };

    /// <summary>The fields directly under userIdentity.</summary>
    private static readonly HashSet<string> s_userIdentity = new(StringComparer.Ordinal)
    {
        "type", "principalId", "arn", "accountId", "accessKeyId", "userName", "sessionContext", "invokedBy",
        "identityProvider", "credentialId", "onBehalfOf", "inScopeOf",
    };

    /// <summary>Fields every CloudTrail record has.</summary>
    private static readonly HashSet<string> s_always = new(StringComparer.Ordinal)
    {
        "eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "eventID", "eventType",
    };

    /// <summary>The only values some fields take; a test for another value never matches.</summary>
    private static readonly Dictionary<string, HashSet<string>> s_domains = new(StringComparer.Ordinal)
    {
        ["userIdentity.type"] = new(StringComparer.OrdinalIgnoreCase)
        {
            "Root", "IAMUser", "AssumedRole", "Role", "FederatedUser", "Directory", "AWSAccount", "AWSService",
            "Unknown", "IdentityCenterUser", "SAMLUser", "WebIdentityUser",
        },
        ["eventType"] = new(StringComparer.OrdinalIgnoreCase)
        {
            "AwsApiCall", "AwsServiceEvent", "AwsConsoleAction", "AwsConsoleSignIn", "AwsCloudTrailInsight", "AwsVpceEvent",
        },
        ["eventCategory"] = new(StringComparer.OrdinalIgnoreCase) { "Management", "Data", "NetworkActivity", "Insight" },
        ["readOnly"] = new(StringComparer.OrdinalIgnoreCase) { "true", "false" },
        ["managementEvent"] = new(StringComparer.OrdinalIgnoreCase) { "true", "false" },
    };

    /// <summary>The lint's findings for one rule: each a sentence starting with what it says about the rule.</summary>
    public static List<string> Check(SigmaExpression expression)
    {
        var reasons = new List<string>();
        var dead = new List<string>();
        var truth = Judge(expression, reasons, dead);
        var findings = new List<string>();
        if (truth == Truth.False)
        {
            findings.Add($"never fires on CloudTrail: {string.Join("; ", dead.Distinct())}");
        }
        else if (truth == Truth.True)
        {
            findings.Add($"fires on every CloudTrail record: {string.Join("; ", reasons.Distinct())}");
        }
        else
        {
            findings.AddRange(dead.Distinct().Select(d => $"never matches, so it does nothing: {d}"));
        }

        return findings;
    }

    private static Truth Judge(SigmaExpression expression, List<string> reasons, List<string> dead)
    {
        switch (expression)
        {
            case SigmaExpression.Test test:
                var (truth, reason) = JudgeTest(test.Field);
                if (reason is not null)
                {
                    reasons.Add(reason);
                    if (truth == Truth.False)
                    {
                        dead.Add(reason);
                    }
                }

                return truth;
            case SigmaExpression.Not not:
                return Judge(not.Item, reasons, dead) switch
                {
                    Truth.False => Truth.True,
                    Truth.True => Truth.False,
                    _ => Truth.Unknown,
                };
            case SigmaExpression.And and:
                {
                    var all = Truth.True;
                    foreach (var item in and.Items)
                    {
                        var t = Judge(item, reasons, dead);
                        if (t == Truth.False)
                        {
                            all = Truth.False;
                        }
                        else if (t == Truth.Unknown && all == Truth.True)
                        {
                            all = Truth.Unknown;
                        }
                    }

                    return all;
                }

            case SigmaExpression.Or or:
                {
                    var any = Truth.False;
                    foreach (var item in or.Items)
                    {
                        var t = Judge(item, reasons, dead);
                        if (t == Truth.True)
                        {
                            any = Truth.True;
                        }
                        else if (t == Truth.Unknown && any == Truth.False)
                        {
                            any = Truth.Unknown;
                        }
                    }

                    return any;
                }

            default:
                return Truth.Unknown;
        }
    }

    private static (Truth Truth, string? Reason) JudgeTest(SigmaFieldTest test)
    {
        if (test.Kind == SigmaTestKind.Keyword)
        {
            return test.Patterns.Any(p => p.Text.All(c => c == '*'))
                ? (Truth.True, $"{test.Label}: the keyword '*' matches every record")
                : (Truth.Unknown, null);
        }

        var field = test.Field!;
        if (Missing(test.Segments) is { } absent)
        {
            var truth = test.Kind switch
            {
                SigmaTestKind.Exists => test.ExistsValue ? Truth.False : Truth.True,
                SigmaTestKind.Patterns when test.MatchesNull => Truth.True,
                _ => Truth.False,
            };
            return (truth, $"{test.Label}: {absent}");
        }

        if (s_always.Contains(field))
        {
            switch (test.Kind)
            {
                case SigmaTestKind.Exists:
                    return (test.ExistsValue ? Truth.True : Truth.False, $"{test.Label}: every record has {field}");
                case SigmaTestKind.Patterns when test.MatchesNull && test.Patterns.Length == 0:
                    return (Truth.False, $"{test.Label}: every record has {field}, never null");
                case SigmaTestKind.Patterns when !test.All && test.Patterns.Any(p => p.Text.All(c => c == '*')):
                    return (Truth.True, $"{test.Label}: '*' matches the {field} every record has");
            }
        }

        if (test.Kind == SigmaTestKind.Patterns && !test.MatchesNull && test.Patterns.Length > 0 && test.Patterns.All(p => p.ExactValue is not null))
        {
            var values = test.Patterns.Select(p => p.ExactValue!).ToList();
            if (field == "errorCode" && values.All(v => v.Equals("Success", StringComparison.OrdinalIgnoreCase)))
            {
                return (Truth.False, $"{test.Label}: CloudTrail has no errorCode 'Success' (it omits errorCode when a call succeeds; test errorCode: null)");
            }

            if (field == "eventSource" && values.All(v => !v.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)))
            {
                return (Truth.False, $"{test.Label}: an eventSource is a service's endpoint name ending in .amazonaws.com, not '{string.Join("', '", values)}'");
            }

            if (s_domains.TryGetValue(field, out var domain) && values.All(v => !domain.Contains(v)))
            {
                return (Truth.False, $"{test.Label}: {field} is one of {string.Join(", ", domain)}, never '{string.Join("', '", values)}'");
            }
        }

        return (Truth.Unknown, null);
    }

    /// <summary>Why CloudTrail never has the path, or null when it may.</summary>
    private static string? Missing(FieldPath.Segment[] segments)
    {
        var top = segments[0].Name;
        if (!s_topLevel.Contains(top))
        {
            var near = s_topLevel.FirstOrDefault(f => f.Equals(top, StringComparison.OrdinalIgnoreCase));
            return near is null
                ? $"CloudTrail records have no field '{top}'"
                : $"CloudTrail records have no field '{top}' (field names are case-sensitive: '{near}')";
        }

        if (top == "userIdentity" && segments.Length > 1 && !s_userIdentity.Contains(segments[1].Name))
        {
            return $"userIdentity has no field '{segments[1].Name}'";
        }

        return null;
    }
}
