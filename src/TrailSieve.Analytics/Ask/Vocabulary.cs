using System.Collections.Frozen;

namespace TrailSieve.Analytics.Ask;

/// <summary>The words <c>ask</c> knows: services and their aliases, dimensions, fillers.</summary>
internal static class Vocabulary
{
    /// <summary>Service word -> the endpoint prefix of eventSource (<c>PREFIX.amazonaws.com</c>).</summary>
    public static readonly FrozenDictionary<string, string> Services = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ec2"] = "ec2", ["s3"] = "s3", ["iam"] = "iam", ["lambda"] = "lambda", ["kms"] = "kms", ["sts"] = "sts",
        ["cloudwatch"] = "monitoring", ["monitoring"] = "monitoring", ["rds"] = "rds", ["dynamodb"] = "dynamodb",
        ["dynamo"] = "dynamodb", ["sns"] = "sns", ["sqs"] = "sqs", ["cloudtrail"] = "cloudtrail", ["signin"] = "signin",
        ["sign-in"] = "signin", ["console"] = "signin", ["logs"] = "logs", ["cloudformation"] = "cloudformation",
        ["secretsmanager"] = "secretsmanager", ["ssm"] = "ssm", ["organizations"] = "organizations",
        ["guardduty"] = "guardduty", ["ecr"] = "ecr", ["ecs"] = "ecs", ["eks"] = "eks", ["elb"] = "elasticloadbalancing",
        ["elasticloadbalancing"] = "elasticloadbalancing", ["route53"] = "route53", ["athena"] = "athena",
        ["glue"] = "glue", ["kinesis"] = "kinesis", ["sso"] = "sso", ["ses"] = "ses", ["config"] = "config",
        ["autoscaling"] = "autoscaling", ["ebs"] = "ec2", ["vpc"] = "ec2", ["cloudfront"] = "cloudfront",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Two-word service names.</summary>
    public static readonly FrozenDictionary<string, string> ServicePairs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cloudwatch logs"] = "logs", ["secrets manager"] = "secretsmanager", ["systems manager"] = "ssm",
        ["load balancer"] = "elasticloadbalancing", ["load balancing"] = "elasticloadbalancing", ["identity center"] = "sso",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly FrozenDictionary<string, Dimension> Dimensions = new Dictionary<string, Dimension>(StringComparer.Ordinal)
    {
        ["user"] = Dimension.Principal, ["users"] = Dimension.Principal, ["principal"] = Dimension.Principal,
        ["principals"] = Dimension.Principal, ["identity"] = Dimension.Principal, ["identities"] = Dimension.Principal,
        ["role"] = Dimension.Principal, ["roles"] = Dimension.Principal, ["caller"] = Dimension.Principal, ["callers"] = Dimension.Principal,
        ["service"] = Dimension.Service, ["services"] = Dimension.Service, ["eventsource"] = Dimension.Service,
        ["event"] = Dimension.Event, ["events"] = Dimension.Event, ["action"] = Dimension.Event, ["actions"] = Dimension.Event,
        ["api"] = Dimension.Event, ["apis"] = Dimension.Event, ["call"] = Dimension.Event, ["calls"] = Dimension.Event,
        ["eventname"] = Dimension.Event, ["eventnames"] = Dimension.Event, ["operation"] = Dimension.Event, ["operations"] = Dimension.Event,
        ["ip"] = Dimension.SourceIp, ["ips"] = Dimension.SourceIp, ["address"] = Dimension.SourceIp, ["addresses"] = Dimension.SourceIp,
        ["sourceip"] = Dimension.SourceIp, ["region"] = Dimension.Region, ["regions"] = Dimension.Region,
        ["account"] = Dimension.Account, ["accounts"] = Dimension.Account, ["errorcode"] = Dimension.ErrorCode,
        ["errorcodes"] = Dimension.ErrorCode, ["code"] = Dimension.ErrorCode, ["codes"] = Dimension.ErrorCode,
        ["day"] = Dimension.Day, ["days"] = Dimension.Day, ["date"] = Dimension.Day, ["daily"] = Dimension.Day,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Two-word dimensions.</summary>
    public static readonly FrozenDictionary<string, Dimension> DimensionPairs = new Dictionary<string, Dimension>(StringComparer.Ordinal)
    {
        ["source ip"] = Dimension.SourceIp, ["source ips"] = Dimension.SourceIp, ["ip address"] = Dimension.SourceIp,
        ["ip addresses"] = Dimension.SourceIp, ["error code"] = Dimension.ErrorCode, ["error codes"] = Dimension.ErrorCode,
        ["event name"] = Dimension.Event, ["event names"] = Dimension.Event, ["event source"] = Dimension.Service,
        ["event sources"] = Dimension.Service, ["api calls"] = Dimension.Event, ["user names"] = Dimension.Principal,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words that carry no meaning of their own in a question (shown by --explain, never silently dropped).</summary>
    public static readonly FrozenSet<string> Fillers = new[]
    {
        "show", "me", "list", "all", "the", "a", "an", "any", "of", "for", "were", "was", "is", "are", "there", "did",
        "do", "does", "done", "made", "make", "happen", "happened", "please", "what", "which", "give", "get", "find",
        "records", "record", "entries", "activity", "that", "by", "and", "in", "from", "with", "to", "has",
        "been", "times", "events", "event", "calls", "call", "api", "aws", "requests", "request", "actions", "on",
        "at", "per", "many", "much", "each", "every", "most", "recent", "latest", "newest", "display", "tell", "us",
        "i", "we", "see", "want", "using", "where", "when", "it", "they", "their", "our", "used", "use", "uses", "or", "had", "have", "having", "got",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> LoginWords = new[]
    {
        "login", "logins", "log-in", "log-ins", "sign-ins", "signins", "logon", "logons",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> FailedWords = new[]
    {
        "failed", "failure", "failures", "failing", "fail", "fails", "error", "errors", "errored", "unsuccessful",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> DeniedWords = new[]
    {
        "denied", "unauthorized", "unauthorised", "forbidden", "denials", "denial",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> SucceededWords = new[]
    {
        "successful", "succeeded", "success", "successfully", "succeeding",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Time unit word -> its length.</summary>
    public static readonly FrozenDictionary<string, TimeSpan> Units = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["minute"] = TimeSpan.FromMinutes(1), ["minutes"] = TimeSpan.FromMinutes(1), ["min"] = TimeSpan.FromMinutes(1), ["mins"] = TimeSpan.FromMinutes(1),
        ["hour"] = TimeSpan.FromHours(1), ["hours"] = TimeSpan.FromHours(1), ["hr"] = TimeSpan.FromHours(1), ["hrs"] = TimeSpan.FromHours(1),
        ["day"] = TimeSpan.FromDays(1), ["days"] = TimeSpan.FromDays(1), ["week"] = TimeSpan.FromDays(7), ["weeks"] = TimeSpan.FromDays(7),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The dimensions as a question names them, for messages.</summary>
    public const string DimensionList = "user, service, event, IP, region, account, error code, day";

    /// <summary>
    /// The dimension word <paramref name="word"/> is one edit (a letter added, dropped, changed, or two swapped) away
    /// from, for words of four letters or more ("usr", "servce", "reigon"); null otherwise.
    /// </summary>
    public static string? NearDimension(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Dimensions.Keys.Where(d => d.Length >= 4 && Math.Abs(d.Length - word.Length) <= 1 && OneEdit(word, d)).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance of at most one, without building the matrix.</summary>
    private static bool OneEdit(string a, string b)
    {
        if (a == b)
        {
            return false;
        }

        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var (restA, restB) = (a[prefix..], b[prefix..]);
        return restA.Length == restB.Length
            ? restA[1..] == restB[1..] || (restA.Length >= 2 && restA[0] == restB[1] && restA[1] == restB[0] && restA[2..] == restB[2..])
            : restA.Length > restB.Length ? restA[1..] == restB : restB[1..] == restA;
    }

    /// <summary>Is the word known to any rule (so it is not taken for a name)?</summary>
    public static bool IsKnown(string word) =>
        Services.ContainsKey(word) || Dimensions.ContainsKey(word) || Fillers.Contains(word) || LoginWords.Contains(word)
        || FailedWords.Contains(word) || DeniedWords.Contains(word) || SucceededWords.Contains(word) || Units.ContainsKey(word)
        || word is "how" or "count" or "number" or "total" or "top" or "last" or "past" or "previous" or "today" or "yesterday"
            or "since" or "on" or "between" or "after" or "before" or "until" or "root" or "mfa" or "without" or "no"
            or "read-only" or "readonly" or "read" or "reads" or "write" or "writes" or "only" or "limit" or "first" or "who"
            or "this" or "month" or "access" or "common" or "frequent" or "active" or "busiest" or "named" or "called";
}
