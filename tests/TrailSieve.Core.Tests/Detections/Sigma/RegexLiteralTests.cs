using System.Text;
using System.Text.RegularExpressions;
using TrailSieve.Core.Rules.Sigma;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections.Sigma;

/// <summary>The literal a regex's every match contains, which refuses a value before the regex runs.</summary>
public sealed class RegexLiteralTests
{
    [Theory]
    [InlineData(".+:assumed-role/aws:.+", ":assumed-role/aws:")]
    [InlineData(@"^arn:aws:iam::[0-9]+:user/", "arn:aws:iam::")]
    [InlineData(@"\.amazonaws\.com$", ".amazonaws.com")]
    [InlineData(@"abcd?efgh", "efgh")]
    [InlineData(@"abcde*fg", "abcd")]
    [InlineData(@"xyz+w", "xyz")]
    [InlineData(@"[abc]]xyz", "]xyz")]
    [InlineData(@"[]x]+hello", "hello")]
    [InlineData(@"\d+-console\s", "-console")]
    [InlineData(@"foo\ bar", "foo bar")]
    public void Required_IsTheLongestRunEveryMatchHas(string pattern, string literal)
    {
        Assert.Equal(literal, Encoding.ASCII.GetString(RegexLiteral.Required(pattern) ?? []));
    }

    [Theory]
    [InlineData("abc|xyz")]
    [InlineData("(?i)abcdef")]
    [InlineData("(abc)+def")]
    [InlineData("abc{0,1}")]
    [InlineData(@"\x41bcd")]
    [InlineData(@"\p{L}abc")]
    [InlineData("ab.cd")]
    [InlineData("[abc")]
    [InlineData("grün")]
    public void Required_IsNullWhereThePatternIsNotSimpleOrTheRunIsShort(string pattern)
    {
        Assert.Null(RegexLiteral.Required(pattern));
    }

    [Theory]
    [InlineData(".+:assumed-role/aws:.+", "arn:aws:sts::1:assumed-role/aws:ec2/i-1")]
    [InlineData(@"abcd?efg", "abcefg")]
    [InlineData(@"abcde*fg", "abcdfg")]
    [InlineData(@"xyz+w", "xyzzzw")]
    [InlineData(@"\d+-console\s", "12-console ")]
    public void Required_IsInEveryMatch(string pattern, string value)
    {
        // The prefilter never refuses what the regex accepts.
        Assert.Matches(new Regex(pattern, RegexOptions.NonBacktracking), value);
        Assert.Contains(Encoding.ASCII.GetString(RegexLiteral.Required(pattern)!), value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/aws:ec2/i-1"}}""", true)]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:sts::1:assumed\/role\/aws:ec2"}}""", false)]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:sts::1:assumed-role\/aws:ec2\/i-1"}}""", true)]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:iam::1:user/bob"}}""", false)]
    public void SigmaRe_WithALiteral_DecidesAsTheRegex(string json, bool expected)
    {
        // An escaped value (\/) is unescaped and given to the regex, not refused on its raw bytes.
        var rules = With(Load("""
            title: metadata role
            logsource:
              product: aws
              service: cloudtrail
            detection:
              selection:
                userIdentity.arn|re: '.+:assumed-role/aws:.+'
              condition: selection
            """));

        Assert.Equal(expected, Hits(rules, json).Count == 1);
    }
}
