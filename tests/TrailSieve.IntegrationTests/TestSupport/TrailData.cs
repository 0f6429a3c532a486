using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TrailSieve.Core.Rules;

namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>CloudTrail files made for the tests, and what a rule set should keep of them.</summary>
public static class TrailData
{
    public const string Rules = """
        rules:
          - name: drop describes
            matches:
              - field_name: eventName
                prefix: Describe
        """;

    public static string Record(int id, string account = "111122223333", string region = "us-east-1", string day = "2026-01-02", string? padding = null) =>
        $"{{\"eventVersion\":\"1.09\",\"eventTime\":\"{day}T10:00:{id % 60:D2}Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"{(id % 3 == 0 ? "DescribeInstances" : "RunInstances")}\",\"awsRegion\":\"{region}\",\"eventID\":\"ev-{id}\",\"recipientAccountId\":\"{account}\"{(padding is null ? string.Empty : $",\"requestParameters\":{{\"pad\":\"{padding}\"}}")}}}";

    public static byte[] File(IEnumerable<string> records)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("{\"Records\":[" + string.Join(",", records) + "]}"));
        }

        return output.ToArray();
    }

    public static IReadOnlyList<string> RecordsOf(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var json = new MemoryStream();
        input.CopyTo(json);
        using var document = JsonDocument.Parse(json.ToArray());
        return document.RootElement.GetProperty("Records").EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    public static IEnumerable<string> Kept(IEnumerable<string> records, string rules = Rules)
    {
        var ruleSet = RuleSetLoader.Load(rules, "test");
        return records.Where(r => ruleSet.Evaluate(Encoding.UTF8.GetBytes(r), out _).Action != RuleAction.Drop);
    }

    public static string WriteRules(string rules = Rules)
    {
        var path = Path.Combine(Path.GetTempPath(), $"trailsieve-rules-{Guid.NewGuid():N}.yaml");
        System.IO.File.WriteAllText(path, rules);
        return path;
    }
}
