using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections;

/// <summary>
/// rules/detections/high-risk.yaml on real CloudTrail records from ../shared/corpus/real and on generated ones: each
/// record hits exactly its action's detection, near misses hit none.
/// </summary>
public sealed class HighRiskPackTests
{
    private static CompiledRuleSet HighRisk { get; } = With(DetectionSetLoader.LoadFile(Path.Combine(PacksFolder, "high-risk.yaml")));

    [Theory]
    [InlineData("083dc4ad-e264-46bc-a407-d0dd31b58bdc", "iam:AttachUserPolicy")]
    [InlineData("7ee6ba6e-1943-417a-a6a3-3a2b0292cdac", "iam:PutUserPolicy")]
    [InlineData("c64c4ded-ef03-4e5c-81eb-153b118d72f2", "iam:CreateAccessKey")]
    [InlineData("08edca58-402f-4cc6-86dd-fa349a46bca3", "iam:DeleteUser")]
    [InlineData("988f1043-3e3d-4d84-803b-1b4d00e0df90", "s3:PutBucketPolicy")]
    [InlineData("b921a62d-9241-42a2-bb3c-6821e55c20cd", "s3:DeleteBucketPolicy")]
    [InlineData("abcda5f-396d-494c-9380-0c47860df5f1", "kms:ScheduleKeyDeletion")]
    [InlineData("9fd68588-ecbf-4528-a345-199fa6bb0821", "ec2:AuthorizeSecurityGroupIngress")]
    [InlineData("ae2be9cc-2dfd-42e1-a0ea-e5bc73b3d1f5", null)] // ListAccessKeys
    [InlineData("914469fc-c658-434c-a560-0219c0ac3b55", null)] // AuthorizeSecurityGroupEgress
    [InlineData("d818bf03-6655-48e9-8b26-f279a07075fd", null)] // CancelKeyDeletion
    [InlineData("c20d93d2-87e1-483d-9c6c-9cdfc35671d4", null)] // GetBucketPolicy
    [InlineData("6313164c-83aa-4cc3-9e1a-b7c426f7a5b1", null)] // DisableKeyRotation
    public void Evaluate_RealRecords_HitExactlyTheirHighRiskAction(string eventId, string? detection)
    {
        // Given a real CloudTrail record
        var record = RealRecords.ById(eventId);

        // When the high-risk pack evaluates it
        var hits = Hits(HighRisk, record);

        // Then exactly its action's detection hits (none for near misses)
        Assert.Equal(detection is null ? [] : [detection], hits);
    }

    [Fact]
    public void Evaluate_EveryRealDisableKey_HitsFailedOnesToo()
    {
        // Given every real kms:DisableKey in the corpus, one of them failed (NotFoundException); several share a
        // made-up eventID, so they are taken by name
        var disables = RealRecords.Where("kms.amazonaws.com", "DisableKey");
        Assert.Contains(disables, r => RealRecords.Text(r, "errorCode") is null);
        Assert.Contains(disables, r => RealRecords.Text(r, "errorCode") is { Length: > 0 });

        // When the high-risk pack evaluates them
        // Then each is exactly a kms:DisableKey hit: an attempt is flagged like a success
        Assert.All(disables, r => Assert.Equal(["kms:DisableKey"], Hits(HighRisk, r)));
    }

    [Theory]
    [InlineData("kms.amazonaws.com", "DisableKey", "kms:DisableKey")]
    [InlineData("iam.amazonaws.com", "PassRole", "iam:PassRole")]
    [InlineData("kms.amazonaws.com", "EnableKey", null)]
    [InlineData("sts.amazonaws.com", "PassRole", null)]
    [InlineData("s3.amazonaws.com", "CreateAccessKey", null)]
    public void Evaluate_GeneratedRecords_HitByServiceAndAction(string eventSource, string eventName, string? detection)
    {
        // Given a generated record (CloudTrail records no PassRole event, so that one cannot be real)
        var json = Generated(eventSource, eventName, "{}");

        // When the high-risk pack evaluates it
        var hits = Hits(HighRisk, json);

        // Then the service and the action must both match
        Assert.Equal(detection is null ? [] : [detection], hits);
    }

    private const string IamUser = """{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/u","accountId":"111122223333"}""";

    private static string Generated(string eventSource, string eventName, string requestParameters, string identity = IamUser) =>
        $$"""{"eventVersion":"1.08","userIdentity":{{identity}},"eventTime":"2026-03-01T09:00:00Z","eventSource":"{{eventSource}}","eventName":"{{eventName}}","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","requestParameters":{{requestParameters}},"eventID":"ev-1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}""";
}
