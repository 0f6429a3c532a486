using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TrailSieve.Core.Ocsf.Model;

namespace TrailSieve.Core.Ocsf;

/// <summary>
/// Maps one CloudTrail record (its UTF-8 JSON bytes) to an OCSF 1.1.0 event of the class <see cref="OcsfClassifier"/>
/// decides, filling every attribute the class requires and the recommended ones CloudTrail has (see
/// docs/design/output.md, "OCSF output", for the table). Thread-safe: it holds only its options.
/// </summary>
/// <param name="rawData">Where the original record is kept.</param>
/// <param name="maxDepth">Deepest nesting accepted (the reader's <c>Pipeline:MaxDepth</c>).</param>
public sealed class CloudTrailOcsfMapper(OcsfRawData rawData = OcsfRawData.RawData, int maxDepth = 256)
{
    /// <summary>The top-level CloudTrail fields some attribute holds; the others go to <c>unmapped</c> when it is chosen.</summary>
    public static IReadOnlySet<string> MappedFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
        "userAgent", "errorCode", "errorMessage", "requestID", "eventID", "eventType", "eventCategory",
        "recipientAccountId", "apiVersion", "resources", "readOnly",
    };

    private static readonly List<string> s_profiles = ["cloud"];

    public OcsfRawData RawData => rawData;

    /// <summary>The OCSF event of <paramref name="record"/>.</summary>
    /// <exception cref="OcsfMappingException">The record is not an object, or lacks (or has a malformed) eventTime, eventName or eventSource.</exception>
    /// <exception cref="JsonException">The record is not valid JSON.</exception>
    public OcsfEvent Map(ReadOnlyMemory<byte> record)
    {
        using var document = JsonDocument.Parse(record, new JsonDocumentOptions { MaxDepth = maxDepth });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OcsfMappingException($"the record is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
        }

        var eventName = RequiredText(root, "eventName");
        var eventSource = RequiredText(root, "eventSource");
        var time = EventTime(root);
        var errorCode = Text(root, "errorCode");
        var errorMessage = Text(root, "errorMessage");
        var requestParameters = Property(root, "requestParameters");
        var activity = OcsfClassifier.Classify(eventSource, eventName, Bool(root, "readOnly"), Text(requestParameters, "status"));
        var cls = activity.Class;
        var account = Text(root, "recipientAccountId");
        var actorUser = ActorUser(Property(root, "userIdentity"));

        var ocsf = new OcsfEvent
        {
            ActivityId = activity.Id,
            ActivityName = activity.Id == 99 ? eventName : activity.Name,
            CategoryUid = cls.CategoryUid,
            CategoryName = cls.CategoryName,
            ClassUid = cls.Uid,
            ClassName = cls.Name,
            TypeUid = cls.TypeUid(activity.Id),
            TypeName = cls.Name + ": " + (activity.Id == 99 ? eventName : activity.Name),
            SeverityId = 1,
            Severity = "Informational",
            Time = time,
            Metadata = new OcsfMetadata
            {
                Product = new OcsfProduct
                {
                    Name = "CloudTrail",
                    Version = Text(root, "eventVersion"),
                    Feature = Text(root, "eventCategory") is { } category ? new OcsfFeature { Name = category } : null,
                },
                Uid = Text(root, "eventID"),
                EventCode = Text(root, "eventType"),
                Profiles = s_profiles,
                LogProvider = "TrailSieve",
            },
            Actor = new OcsfActor
            {
                User = actorUser,
                Session = Session(Property(root, "userIdentity")),
                InvokedBy = Text(Property(root, "userIdentity"), "invokedBy"),
            },
            Api = new OcsfApi
            {
                Operation = eventName,
                Service = new OcsfService { Name = eventSource },
                Request = Text(root, "requestID") is { } requestId ? new OcsfRequest { Uid = requestId } : null,
                Response = errorCode is null ? null : new OcsfResponse { Error = errorCode, ErrorMessage = errorMessage },
                Version = Text(root, "apiVersion"),
            },
            SrcEndpoint = SourceEndpoint(Text(root, "sourceIPAddress")),
            HttpRequest = Text(root, "userAgent") is { } agent ? new OcsfHttpRequest { UserAgent = agent } : null,
            Cloud = new OcsfCloud
            {
                Region = Text(root, "awsRegion"),
                Account = account is null ? null : AwsAccount(account),
            },
            // resources is an API Activity attribute; the IAM classes name the user or policy changed instead.
            Resources = cls == OcsfSchema.ApiActivity ? Resources(Property(root, "resources")) : null,
        };

        SetStatus(ocsf, root, errorCode, errorMessage);
        if (cls == OcsfSchema.Authentication)
        {
            // The user signing in is the caller (a failed ConsoleLogin names the user it tried as userName).
            ocsf.User = actorUser ?? new OcsfUser { Account = account is null ? null : AwsAccount(account) };
            ocsf.Service = new OcsfService { Name = eventSource };
            ocsf.IsMfa = Text(Property(root, "additionalEventData"), "MFAUsed") switch
            {
                "Yes" => true,
                "No" => false,
                _ => null,
            };
        }
        else if (cls == OcsfSchema.AccountChange)
        {
            ocsf.User = ChangedUser(root, requestParameters, actorUser, account);
            ocsf.Policy = Policy(requestParameters);
        }

        switch (rawData)
        {
            case OcsfRawData.RawData:
                ocsf.RawData = Encoding.UTF8.GetString(record.Span);
                break;
            case OcsfRawData.Unmapped:
                ocsf.Unmapped = Unmapped(root);
                break;
        }

        return ocsf;
    }

    /// <summary>
    /// status_id 1 Success or 2 Failure: a ConsoleLogin says so in responseElements.ConsoleLogin, every other call
    /// by having an errorCode or not. status_code and status_detail are errorCode and errorMessage.
    /// </summary>
    private static void SetStatus(OcsfEvent ocsf, JsonElement root, string? errorCode, string? errorMessage)
    {
        var failed = errorCode is not null || Text(Property(root, "responseElements"), "ConsoleLogin") == "Failure";
        ocsf.StatusId = failed ? 2 : 1;
        ocsf.Status = failed ? "Failure" : "Success";
        ocsf.StatusCode = errorCode;
        ocsf.StatusDetail = errorMessage;
    }

    private static long EventTime(JsonElement root)
    {
        var text = RequiredText(root, "eventTime");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new OcsfMappingException($"eventTime '{Shorten(text)}' is not an ISO 8601 time");
        }

        return time.ToUnixTimeMilliseconds();
    }

    private static OcsfUser? ActorUser(JsonElement identity)
    {
        if (identity.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = Text(identity, "type");
        var arn = Text(identity, "arn");
        var principalId = Text(identity, "principalId");
        var accountId = Text(identity, "accountId");
        var name = Text(identity, "userName")
            ?? Text(Property(Property(identity, "sessionContext"), "sessionIssuer"), "userName")
            ?? (arn is null ? null : arn[(arn.LastIndexOf('/') + 1)..]);
        return new OcsfUser
        {
            Name = name,
            Uid = arn ?? principalId,
            UidAlt = arn is null ? null : principalId,
            Type = type,
            TypeId = type switch
            {
                null or "Unknown" => 0,
                "Root" => 2,
                "IAMUser" or "AssumedRole" or "FederatedUser" or "SAMLUser" or "WebIdentityUser" or "IdentityCenterUser" => 1,
                "AWSService" or "AWSAccount" => 3,
                _ => 99,
            },
            CredentialUid = Text(identity, "accessKeyId"),
            Account = accountId is null ? null : AwsAccount(accountId),
        };
    }

    private static OcsfSession? Session(JsonElement identity)
    {
        var context = Property(identity, "sessionContext");
        if (context.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var attributes = Property(context, "attributes");
        long? created = Text(attributes, "creationDate") is { } creation
            && DateTimeOffset.TryParse(creation, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at.ToUnixTimeMilliseconds()
                : null;
        return new OcsfSession
        {
            CreatedTime = created,
            IsMfa = Text(attributes, "mfaAuthenticated") switch
            {
                "true" => true,
                "false" => false,
                _ => null,
            },
            Issuer = Text(Property(context, "sessionIssuer"), "arn"),
            CredentialUid = Text(identity, "accessKeyId"),
        };
    }

    /// <summary>The endpoint is required (API Activity): always present, empty when CloudTrail names no source.</summary>
    private static OcsfEndpoint SourceEndpoint(string? source) =>
        source is null ? new OcsfEndpoint()
        : IPAddress.TryParse(source, out _) ? new OcsfEndpoint { Ip = source }
        : new OcsfEndpoint { Domain = source };

    private static List<OcsfResource>? Resources(JsonElement resources)
    {
        if (resources.ValueKind != JsonValueKind.Array || resources.GetArrayLength() == 0)
        {
            return null;
        }

        var list = new List<OcsfResource>(resources.GetArrayLength());
        foreach (var resource in resources.EnumerateArray())
        {
            var owner = Text(resource, "accountId");
            list.Add(new OcsfResource
            {
                Uid = Text(resource, "ARN") ?? Text(resource, "arn"),
                Type = Text(resource, "type"),
                Owner = owner is null ? null : new OcsfUser { Account = AwsAccount(owner) },
            });
        }

        return list;
    }

    /// <summary>
    /// Account Change's user: the one named in requestParameters.userName (the user created, deleted or changed), with
    /// CreateUser's responseElements.user for its ARN and id; without a userName (ChangePassword, a user's own access
    /// key) the caller.
    /// </summary>
    private static OcsfUser ChangedUser(JsonElement root, JsonElement requestParameters, OcsfUser? actor, string? account)
    {
        var userName = Text(requestParameters, "userName");
        if (userName is null && actor is not null)
        {
            return actor;
        }

        var created = Property(Property(root, "responseElements"), "user");
        var arn = Text(created, "arn");
        return new OcsfUser
        {
            Name = userName,
            Uid = arn ?? Text(created, "userId"),
            UidAlt = arn is null ? null : Text(created, "userId"),
            Type = "IAMUser",
            TypeId = 1,
            Account = account is null ? null : AwsAccount(account),
        };
    }

    private static OcsfPolicy? Policy(JsonElement requestParameters)
    {
        if (Text(requestParameters, "policyArn") is { } arn)
        {
            return new OcsfPolicy { Uid = arn, Name = arn[(arn.LastIndexOf('/') + 1)..] };
        }

        return Text(requestParameters, "policyName") is { } name ? new OcsfPolicy { Name = name } : null;
    }

    private static Dictionary<string, string>? Unmapped(JsonElement root)
    {
        Dictionary<string, string>? unmapped = null;
        foreach (var property in root.EnumerateObject())
        {
            if (MappedFields.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            (unmapped ??= new Dictionary<string, string>(StringComparer.Ordinal))[property.Name] =
                property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return unmapped;
    }

    private static OcsfAccount AwsAccount(string uid) => new() { Uid = uid, TypeId = 10, Type = "AWS Account" };

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static bool? Bool(JsonElement element, string name) => Property(element, name).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => Text(element, name) switch
        {
            "true" => true,
            "false" => false,
            _ => null,
        },
        _ => null,
    };

    private static string RequiredText(JsonElement root, string name)
    {
        var value = Property(root, name);
        return value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
            JsonValueKind.Undefined => throw new OcsfMappingException($"{name} is missing"),
            JsonValueKind.String => throw new OcsfMappingException($"{name} is empty"),
            _ => throw new OcsfMappingException($"{name} is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a string"),
        };
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
