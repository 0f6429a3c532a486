using System.Text;
using TrailSieve.Core.Rules.Sigma;

namespace TrailSieve.Core.Tests.Detections.Sigma;

/// <summary>The byte path of a Sigma pattern decides exactly as its char path, or leaves the decision to it.</summary>
public sealed class SigmaPatternTests
{
    private static readonly string[] s_values =
    [
        "", "a", "A", "GetObject", "getobject", "GETOBJECTACL", "PutObjectAcl", "xGetObjectx", "Get", "Object",
        "ı", "I", "i", "İstanbul", "istanbul", "straße", "STRASSE", "Kelvin\u212A", "kelvink", "GetObjectı", "aws-cli/2 S3 Browser",
        "Jersey/${project.version}", "a*b", "a?b", "a\\b", "{\"Status\":\"Suspended\"}",
    ];

    private static readonly string[] s_patterns =
    [
        "GetObject", "getobject", "Get", "Object", "acl", "i", "I", "ı", "istanbul", "s3 browser", "Jersey/${project.version}",
        "a\\*b", "a\\?b", "a\\\\b", "suspended", "straße", "K", "",
    ];

    [Fact]
    public void BytePath_AgreesWithTheCharPath_OrDefersToIt()
    {
        var decided = 0;
        foreach (var cased in new[] { false, true })
        {
            foreach (var (leading, trailing) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                foreach (var text in s_patterns)
                {
                    var pattern = SigmaPattern.Create(text, leading, trailing, cased);
                    foreach (var value in s_values)
                    {
                        var expected = pattern.IsMatch(value);
                        if (pattern.IsMatchUtf8(Encoding.UTF8.GetBytes(value)) is { } bytes)
                        {
                            decided++;
                            Assert.True(expected == bytes, $"'{pattern.Text}' (cased {cased}) on '{value}': chars say {expected}, bytes say {bytes}");
                        }
                    }
                }
            }
        }

        // Most pairs are ASCII and take the byte path; the test would prove nothing if none did.
        Assert.True(decided > 2000, $"only {decided} pairs decided on bytes");
    }

    [Theory]
    [InlineData("ı", "i", false)]
    [InlineData("GetObjectı", "getobject*", false)]
    [InlineData("straße", "STRASSE", false)]
    public void NonAsciiValue_IgnoringCase_IsLeftToTheCharPath(string value, string text, bool cased)
    {
        var pattern = SigmaPattern.Create(text, leading: false, trailing: false, cased);
        Assert.Null(pattern.IsMatchUtf8(Encoding.UTF8.GetBytes(value)));
    }
}
