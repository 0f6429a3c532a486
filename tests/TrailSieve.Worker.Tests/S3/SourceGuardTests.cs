using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.S3;

public sealed class SourceGuardTests
{
    [Theory]
    [InlineData("AWSLogs/o-1/111122223333/CloudTrail/eu-west-1/2026/01/02/a.json.gz", null)]
    [InlineData("AWSLogs/o-1/111122223333/CloudTrail-Insight/eu-west-1/2026/01/02/a.json.gz", "excluded by Sqs:ExcludeKeys 're:/CloudTrail-Insight/'")]
    [InlineData("AWSLogs/o-1/111122223333/CloudTrail/ap-south-1/2026/01/02/a.json.gz", "excluded by Sqs:ExcludeKeys 're:/CloudTrail/ap-[a-z]+-\\d/'")]
    [InlineData("other/a.json.gz", "matches no entry of Sqs:IncludeKeys")]
    public void SkipReason_PrefixesAndRegexes_ExcludeWinsThenInclude(string key, string? reason)
    {
        var options = new SqsOptions();
        options.IncludeKeys.Add("AWSLogs/");
        options.ExcludeKeys.Add("re:/CloudTrail-Insight/");
        options.ExcludeKeys.Add(@"re:/CloudTrail/ap-[a-z]+-\d/");

        Assert.Equal(reason, SourceGuard.From(options).SkipReason(key));
    }

    [Fact]
    public void SkipReason_PrefixIsOrdinalAndAnchored()
    {
        var options = new SqsOptions();
        options.ExcludeKeys.Add("AWSLogs/111122223333/CloudTrail-Digest/");
        var guard = SourceGuard.From(options);

        Assert.NotNull(guard.SkipReason("AWSLogs/111122223333/CloudTrail-Digest/x.json.gz"));
        Assert.Null(guard.SkipReason("awslogs/111122223333/CloudTrail-Digest/x.json.gz"));
        Assert.Null(guard.SkipReason("x/AWSLogs/111122223333/CloudTrail-Digest/x.json.gz"));
    }

    [Fact]
    public void AllowsBucket_ListEmptyOrNamed()
    {
        var options = new SqsOptions();
        Assert.True(SourceGuard.From(options).AllowsBucket("any"));

        options.SourceBuckets.Add("trail-a");
        var guard = SourceGuard.From(options);
        Assert.True(guard.AllowsBucket("trail-a"));
        Assert.False(guard.AllowsBucket("trail-b"));
        Assert.Equal(
            "s3://trail-b/k: bucket trail-b is not in Sqs:SourceBuckets (trail-a); not downloaded",
            guard.Rejection("trail-b", "k").Message);
    }

    [Fact]
    public void Validate_BadEntries_OneErrorEachNamingTheSetting()
    {
        var options = new SqsOptions { ExpectedBucketOwner = "12345" };
        options.IncludeKeys.Add("re:([a-z]");
        options.ExcludeKeys.Add("ok/");
        options.ExcludeKeys.Add(@"re:(a)\1");
        options.ExcludeKeys.Add(string.Empty);
        options.SourceBuckets.Add(" ");

        var failures = SourceGuard.Validate(options).ToList();

        Assert.Equal(5, failures.Count);
        Assert.StartsWith("Sqs:IncludeKeys:0: 're:([a-z]' is not a usable regular expression", failures[0], StringComparison.Ordinal);
        Assert.StartsWith(@"Sqs:ExcludeKeys:1: 're:(a)\1' is not a usable regular expression", failures[1], StringComparison.Ordinal);
        Assert.Equal("Sqs:ExcludeKeys:2: an entry is empty (a prefix or re:pattern is needed)", failures[2]);
        Assert.Equal("Sqs:SourceBuckets:0: is empty; accepted: a bucket name", failures[3]);
        Assert.Equal("Sqs:ExpectedBucketOwner: '12345' is not an AWS account id; accepted: 12 digits", failures[4]);
    }

    [Fact]
    public void ValidateRelations_BadRegex_ReportedWithTheOtherRules()
    {
        var options = new SqsOptions { QueueUrl = "http://q.test/1/q" };
        options.ExcludeKeys.Add("re:[");

        Assert.Contains(options.ValidateRelations(), f => f.StartsWith("Sqs:ExcludeKeys:0:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_GoodEntries_None()
    {
        var options = new SqsOptions { ExpectedBucketOwner = "123456789012" };
        options.IncludeKeys.Add("re:^AWSLogs/");
        options.SourceBuckets.Add("trail");

        Assert.Empty(SourceGuard.Validate(options));
    }
}
