using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Rules.RuleTestData;

namespace TrailSieve.Core.Tests.Rules;

/// <summary>
/// The rule files shipped under rules/ compile, and the default one filters as its comments promise. Detection files
/// (top-level <c>detections:</c>, under rules/detections/) are loaded by DetectionPackTests instead.
/// </summary>
public sealed class RuleFilesTests
{
    private static readonly string s_rulesFolder = Path.Combine(FindRepositoryRoot(), "rules");

    public static TheoryData<string> ShippedRuleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in ListRuleFiles())
        {
            data.Add(file);
        }

        return data;
    }

    private static List<string> ListRuleFiles()
    {
        var data = new List<string>();
        foreach (var file in Directory.EnumerateFiles(s_rulesFolder, "*", SearchOption.AllDirectories))
        {
            if ((file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal))
                && !DetectionSetLoader.IsDetectionFile(File.ReadAllText(file)))
            {
                data.Add(Path.GetRelativePath(s_rulesFolder, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedRuleFiles))]
    public void LoadFile_ShippedRuleFile_CompilesWithoutErrorsOrWarnings(string relativePath)
    {
        // Given a rule file shipped in the repository
        var path = Path.Combine(s_rulesFolder, relativePath);

        // When it is loaded
        var rules = RuleSetLoader.LoadFile(path);

        // Then it compiles cleanly
        Assert.NotEmpty(rules.RuleNames);
        Assert.Empty(rules.Warnings);
    }

    [Fact]
    public void ShippedRuleFiles_IncludeDefaultAndExamples()
    {
        // Given the rules folder
        // When it is listed
        var files = ListRuleFiles().ConvertAll(file => file.Replace('\\', '/'));

        // Then the default and the three examples are there
        Assert.Contains("default.yaml", files);
        Assert.Contains("examples/wolfeidau.yaml", files);
        Assert.Contains("examples/boogy.yaml", files);
        Assert.Contains("examples/allow-list.yaml", files);
    }

    [Theory]
    [InlineData("""{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","readOnly":true,"sourceIPAddress":"secretsmanager.amazonaws.com","userIdentity":{"type":"AWSService","invokedBy":"secretsmanager.amazonaws.com"}}""", RuleAction.Drop)]
    [InlineData("""{"eventSource":"kms.amazonaws.com","eventName":"GenerateDataKey","readOnly":true,"sourceIPAddress":"AWS Internal","userIdentity":{"type":"IAMUser","invokedBy":"AWS Internal"}}""", RuleAction.Drop)]
    [InlineData("""{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","readOnly":true,"sourceIPAddress":"203.0.113.7","userIdentity":{"type":"IAMUser"}}""", RuleAction.Keep)]
    [InlineData("""{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","readOnly":true,"sourceIPAddress":"AWS Internal","errorCode":"AccessDenied","userIdentity":{"type":"AWSService"}}""", RuleAction.Keep)]
    [InlineData("""{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","readOnly":false,"userIdentity":{"type":"IAMUser"}}""", RuleAction.Keep)]
    [InlineData("""{"eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","readOnly":true,"userIdentity":{"type":"Root"}}""", RuleAction.Keep)]
    [InlineData("""{"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","readOnly":true,"userIdentity":{"type":"Root"}}""", RuleAction.Keep)]
    [InlineData("""{"eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","readOnly":false,"userIdentity":{"type":"AssumedRole"}}""", RuleAction.Keep)]
    [InlineData("""{"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","readOnly":true,"userIdentity":{"type":"AWSService","invokedBy":"config.amazonaws.com"}}""", RuleAction.Drop)]
    [InlineData("""{"eventSource":"monitoring.amazonaws.com","eventName":"GetMetricData","readOnly":true,"userIdentity":{"type":"AssumedRole"}}""", RuleAction.Drop)]
    [InlineData("""{"eventSource":"logs.amazonaws.com","eventName":"FilterLogEvents","readOnly":true,"userIdentity":{"type":"AssumedRole"}}""", RuleAction.Keep)]
    [InlineData("""{"eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","readOnly":true,"userIdentity":{"type":"IAMUser"}}""", RuleAction.Drop)]
    [InlineData("""{"eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","errorCode":"ExpiredToken","userIdentity":{"type":"IAMUser"}}""", RuleAction.Keep)]
    public void Evaluate_DefaultRules_DropNoiseKeepSignal(string json, RuleAction expected)
    {
        // Given the shipped default rules
        var rules = RuleSetLoader.LoadFile(Path.Combine(s_rulesFolder, "default.yaml"));

        // When a record is evaluated
        var action = Action(rules, json);

        // Then service KMS crypto and read chatter are dropped; errors, ConsoleLogin, Root and writes are kept
        Assert.Equal(expected, action);
    }

    [Theory]
    [InlineData("wolfeidau.yaml", """{"eventSource":"kms.amazonaws.com","eventName":"Decrypt"}""", RuleAction.Drop)]
    [InlineData("boogy.yaml", """{"eventName":"DescribeVpcs","readOnly":true,"userIdentity":{"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::123456789012:role/security-scanner"}}}}""", RuleAction.Drop)]
    [InlineData("allow-list.yaml", """{"eventSource":"iam.amazonaws.com","eventName":"CreateUser"}""", RuleAction.Keep)]
    [InlineData("allow-list.yaml", """{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}""", RuleAction.Drop)]
    [InlineData("allow-list.yaml", """{"eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging"}""", RuleAction.Tag)]
    public void Evaluate_ExampleRules_FilterAsDescribed(string file, string json, RuleAction expected)
    {
        // Given an example rule file
        var rules = RuleSetLoader.LoadFile(Path.Combine(s_rulesFolder, "examples", file));

        // When a record is evaluated
        var action = Action(rules, json);

        // Then it behaves as its comments say
        Assert.Equal(expected, action);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Worker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Worker.sln not found above " + AppContext.BaseDirectory);
    }
}
