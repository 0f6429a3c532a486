using System.Text.Json.Nodes;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class OutputStoreTests(DefaultTemplate defaults, VariantTemplate variant)
{
    [Fact]
    public void Bucket_Default_PrivateS3ManagedUnversioned()
    {
        var bucket = Properties(defaults.Resources("AWS::S3::Bucket").Single().Resource);

        Assert.Equal(StackContexts.OutputBucket, (string?)bucket["BucketName"]);
        Assert.Equal("AES256", (string?)Encryption(bucket)["SSEAlgorithm"]);
        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.All(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], name => Assert.True((bool)block[name]!));
        Assert.Null(bucket["VersioningConfiguration"]);
        Assert.Equal(["abort-incomplete-uploads", "expire-athena-results", "expire-ledger-markers"], RuleIds(bucket));
    }

    [Fact]
    public void Bucket_Default_LedgerMarkersUnderTheOutputPrefixExpireAfter30Days()
    {
        var bucket = Properties(defaults.Resources("AWS::S3::Bucket").Single().Resource);

        var rule = bucket["LifecycleConfiguration"]!["Rules"]!.AsArray().Single(r => (string?)r!["Id"] == "expire-ledger-markers")!;
        Assert.Equal("records/_ledger/", (string?)rule["Prefix"]);
        Assert.Equal(30, (int)rule["ExpirationInDays"]!);
        Assert.Equal("Enabled", (string?)rule["Status"]);
    }

    [Fact]
    public void BucketPolicy_Default_DeniesRequestsWithoutTls()
    {
        var statements = Properties(defaults.Resources("AWS::S3::BucketPolicy").Single().Resource)["PolicyDocument"]!["Statement"]!.AsArray();

        Assert.Contains(statements, s => (string?)s!["Effect"] == "Deny" && s["Condition"]?["Bool"]?["aws:SecureTransport"]?.ToString() == "false");
    }

    [Fact]
    public void Bucket_Variant_KmsVersionedWithLifecycleOnTheOutputPrefix()
    {
        var bucket = Properties(variant.Resources("AWS::S3::Bucket").Single().Resource);

        var encryption = Encryption(bucket);
        Assert.Equal("aws:kms", (string?)encryption["SSEAlgorithm"]);
        Assert.Equal(StackContexts.OutputKeyArn, (string?)encryption["KMSMasterKeyID"]);
        Assert.Equal("Enabled", (string?)bucket["VersioningConfiguration"]!["Status"]);
        var records = bucket["LifecycleConfiguration"]!["Rules"]!.AsArray().Single(r => (string?)r!["Id"] == "records")!;
        Assert.Equal("filtered/", (string?)records["Prefix"]);
        Assert.Equal(400, (int)records["ExpirationInDays"]!);
        Assert.Equal(400, (int)records["NoncurrentVersionExpiration"]!["NoncurrentDays"]!);
        var transition = records["Transitions"]!.AsArray().Single()!;
        Assert.Equal("STANDARD_IA", (string?)transition["StorageClass"]);
        Assert.Equal(90, (int)transition["TransitionInDays"]!);
    }

    [Fact]
    public void Bucket_Variant_Versioned_OldCheckpointVersionsExpireAfterADay()
    {
        // Given a versioned output bucket, where every checkpoint save would leave a version behind
        var bucket = Properties(variant.Resources("AWS::S3::Bucket").Single().Resource);

        // Then noncurrent versions under checkpoints/ expire, and nothing else is expired by that rule
        var rule = bucket["LifecycleConfiguration"]!["Rules"]!.AsArray().Single(r => (string?)r!["Id"] == "checkpoint-versions")!;
        Assert.Equal("checkpoints/", (string?)rule["Prefix"]);
        Assert.Equal(1, (int)rule["NoncurrentVersionExpiration"]!["NoncurrentDays"]!);
        Assert.Null(rule["ExpirationInDays"]);
    }

    private static JsonObject Encryption(JsonObject bucket) =>
        bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]!.AsArray().Single()!["ServerSideEncryptionByDefault"]!.AsObject();

    private static List<string> RuleIds(JsonObject bucket) =>
        [.. bucket["LifecycleConfiguration"]!["Rules"]!.AsArray().Select(r => (string)r!["Id"]!)];
}
