using System.Text.Json;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections.Sigma;

/// <summary>
/// Sigma rules written for these tests, evaluated on every record of the real corpus, against an independent oracle:
/// the expected records are found by walking each record with <see cref="JsonDocument"/>.
/// </summary>
public sealed class SigmaRealCorpusTests
{
    [Fact]
    public void ObjectAsJsonText_FindsEverySuspendedVersioning()
    {
        var rules = With(Load("""
            title: Versioning suspended (test)
            logsource: { product: aws, service: cloudtrail }
            detection:
              selection:
                eventSource: s3.amazonaws.com
                eventName: PutBucketVersioning
                requestParameters|contains: suspended
              condition: selection
            """));

        var expected = RealRecords.All.Where(r =>
        {
            using var document = JsonDocument.Parse(r);
            var root = document.RootElement;
            return Text(root, "eventName") == "PutBucketVersioning" && Text(root, "eventSource") == "s3.amazonaws.com"
                && root.TryGetProperty("requestParameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.GetRawText().Contains("suspended", StringComparison.OrdinalIgnoreCase);
        }).Count();
        var actual = RealRecords.All.Count(r => Hits(rules, r).Count == 1);

        Assert.True(expected > 0, "the corpus has no suspended versioning: pick another case");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PathThroughArrays_FindsEveryIngressOpenToTheWorld()
    {
        var rules = With(Load("""
            title: Ingress from anywhere (test)
            logsource: { product: aws, service: cloudtrail }
            detection:
              selection:
                eventName: AuthorizeSecurityGroupIngress
                requestParameters.ipPermissions.items.ipRanges.items.cidrIp: 0.0.0.0/0
              condition: selection
            """));

        var expected = RealRecords.All.Where(r =>
        {
            using var document = JsonDocument.Parse(r);
            var root = document.RootElement;
            if (Text(root, "eventName") != "AuthorizeSecurityGroupIngress"
                || !root.TryGetProperty("requestParameters", out var parameters) || parameters.ValueKind != JsonValueKind.Object
                || !parameters.TryGetProperty("ipPermissions", out var permissions) || !permissions.TryGetProperty("items", out var items))
            {
                return false;
            }

            return items.EnumerateArray().Any(permission =>
                permission.TryGetProperty("ipRanges", out var ranges) && ranges.TryGetProperty("items", out var rangeItems)
                && rangeItems.EnumerateArray().Any(range => Text(range, "cidrIp") == "0.0.0.0/0"));
        }).Count();
        var actual = RealRecords.All.Count(r => Hits(rules, r).Count == 1);

        Assert.True(expected > 0, "the corpus has no such ingress: pick another case");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void RegexAndNot_FindEveryRoleSessionCallThatIsNotAnAwsService()
    {
        var rules = With(Load("""
            title: Assumed-role calls not by a service (test)
            logsource: { product: aws, service: cloudtrail }
            detection:
              selection:
                userIdentity.arn|re: ':assumed-role/'
              filter_service:
                userIdentity.type: AWSService
              filter_internal:
                sourceIPAddress|endswith: '.amazonaws.com'
              condition: selection and not 1 of filter_*
            """));

        var expected = RealRecords.All.Where(r =>
        {
            using var document = JsonDocument.Parse(r);
            var root = document.RootElement;
            if (!root.TryGetProperty("userIdentity", out var identity) || identity.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            return (Text(identity, "arn") ?? string.Empty).Contains(":assumed-role/", StringComparison.Ordinal)
                && !string.Equals(Text(identity, "type"), "AWSService", StringComparison.OrdinalIgnoreCase)
                && !(Text(root, "sourceIPAddress") ?? string.Empty).EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase);
        }).Count();
        var actual = RealRecords.All.Count(r => Hits(rules, r).Count == 1);

        Assert.True(expected > 10, $"only {expected} assumed-role records");
        Assert.Equal(expected, actual);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
