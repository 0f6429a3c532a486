using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections;

/// <summary>
/// rules/detections/high-risk.yaml on real CloudTrail records from tests/corpus/real and on generated ones built
/// from the documented shape of calls the corpus does not hold: each record hits exactly its action's detection, near
/// misses hit none.
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
    [InlineData("86eac0ac-8521-4126-aa32-a22f2b74d02e", "iam:PassRole to ec2")] // RunInstances with an instance profile
    [InlineData("17a00dc1-8069-4f92-8b94-bb9e0a82acaa", "iam:PassRole to ec2")] // ... failed (InvalidParameterValue): an attempt
    [InlineData("6da8b953-741f-4273-be3f-289b92b4d1fc", "iam:PassRole to ec2")] // an Auto Scaling launch recorded under root, not a service-linked role
    [InlineData("2e15203f-d196-441a-adeb-794b195b4a28", "iam:PassRole to lambda")] // CreateFunction20150331 with a role
    [InlineData("2fe6dcc9-0858-4527-9af2-0097752588ef", "iam:PassRole to lambda")]
    [InlineData("cf68ed65-99d6-4c69-bf5e-2535c6cb056f", "iam:PassRole to lambda")] // ... failed (InvalidParameterValueException)
    [InlineData("ae2be9cc-2dfd-42e1-a0ea-e5bc73b3d1f5", null)] // ListAccessKeys
    [InlineData("914469fc-c658-434c-a560-0219c0ac3b55", null)] // AuthorizeSecurityGroupEgress
    [InlineData("d818bf03-6655-48e9-8b26-f279a07075fd", null)] // CancelKeyDeletion
    [InlineData("c20d93d2-87e1-483d-9c6c-9cdfc35671d4", null)] // GetBucketPolicy
    [InlineData("6313164c-83aa-4cc3-9e1a-b7c426f7a5b1", null)] // DisableKeyRotation
    [InlineData("cd75a605-2fee-4fda-b847-9c3d330ebaae", null)] // RunInstances without an instance profile
    [InlineData("8e865acb-b1e1-41d1-bdf3-47462f79d24c", null)] // ... failed, without one
    [InlineData("da929d96-8e20-475c-a810-973addd64769", null)] // UpdateFunctionConfiguration20150331v2 of the environment, no role
    [InlineData("9bf6cfb8-83e1-4589-9a70-b971e727099b", null)] // CreateStack without a service role
    [InlineData("637707ce-e4a3-4af1-8edc-16e37e851b17", null)] // UpdateStack without a service role
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

    // Records built from the documented request shape (the API's members, first letter lower case as CloudTrail
    // writes them) for the role-passing calls the corpus has no example of, and near misses beside each.
    [Theory]
    [InlineData("ec2", "RunInstances", """{"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/app"}}""", "iam:PassRole to ec2")]
    [InlineData("ec2", "RunInstances", """{"iamInstanceProfile":{"name":"app"}}""", null, ServiceLinkedRole)]
    [InlineData("lambda", "CreateFunction", """{"functionName":"f","role":"arn:aws:iam::111122223333:role/r"}""", "iam:PassRole to lambda")]
    [InlineData("lambda", "UpdateFunctionConfiguration20150331v2", """{"functionName":"f","role":"arn:aws:iam::111122223333:role/r"}""", "iam:PassRole to lambda")]
    [InlineData("lambda", "UpdateFunctionCode20150331v2", """{"functionName":"f","role":"arn:aws:iam::111122223333:role/r"}""", null)]
    [InlineData("lambda", "CreateFunction20150331", """{"functionName":"f","role":null}""", null)]
    [InlineData("ecs", "RegisterTaskDefinition", """{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/task"}""", "iam:PassRole to ecs")]
    [InlineData("ecs", "RegisterTaskDefinition", """{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/exec"}""", "iam:PassRole to ecs")]
    [InlineData("ecs", "RegisterTaskDefinition", """{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/task","executionRoleArn":"arn:aws:iam::111122223333:role/exec"}""", "iam:PassRole to ecs")]
    [InlineData("ecs", "RegisterTaskDefinition", """{"family":"web","containerDefinitions":[{"name":"app","image":"nginx"}]}""", null)]
    [InlineData("ecs", "CreateService", """{"serviceName":"web","role":"arn:aws:iam::111122223333:role/ecs"}""", null)]
    [InlineData("cloudformation", "CreateStack", """{"stackName":"s","roleARN":"arn:aws:iam::111122223333:role/cfn"}""", "iam:PassRole to cloudformation")]
    [InlineData("cloudformation", "UpdateStack", """{"stackName":"s","roleARN":"arn:aws:iam::111122223333:role/cfn"}""", "iam:PassRole to cloudformation")]
    [InlineData("cloudformation", "CreateChangeSet", """{"stackName":"s","changeSetName":"c","roleARN":"arn:aws:iam::111122223333:role/cfn"}""", "iam:PassRole to cloudformation")]
    [InlineData("cloudformation", "DeleteStack", """{"stackName":"s","roleARN":"arn:aws:iam::111122223333:role/cfn"}""", null)]
    [InlineData("glue", "CreateJob", """{"name":"j","role":"arn:aws:iam::111122223333:role/glue","command":{"name":"glueetl"}}""", "iam:PassRole to glue")]
    [InlineData("glue", "UpdateJob", """{"jobName":"j","jobUpdate":{"role":"arn:aws:iam::111122223333:role/glue"}}""", "iam:PassRole to glue")]
    [InlineData("glue", "CreateDevEndpoint", """{"endpointName":"e","roleArn":"arn:aws:iam::111122223333:role/glue"}""", "iam:PassRole to glue")]
    [InlineData("glue", "UpdateJob", """{"jobName":"j","jobUpdate":{"timeout":60}}""", null)]
    [InlineData("mediaconvert", "CreateJob", """{"role":"arn:aws:iam::111122223333:role/mc"}""", null)]
    [InlineData("sagemaker", "CreateNotebookInstance", """{"notebookInstanceName":"n","instanceType":"ml.t3.medium","roleArn":"arn:aws:iam::111122223333:role/sm"}""", "iam:PassRole to sagemaker")]
    [InlineData("sagemaker", "CreateTrainingJob", """{"trainingJobName":"t","roleArn":"arn:aws:iam::111122223333:role/sm"}""", "iam:PassRole to sagemaker")]
    [InlineData("sagemaker", "CreateProcessingJob", """{"processingJobName":"p","roleArn":"arn:aws:iam::111122223333:role/sm"}""", "iam:PassRole to sagemaker")]
    [InlineData("sagemaker", "CreateEndpoint", """{"endpointName":"e","endpointConfigName":"c"}""", null)]
    public void Evaluate_GeneratedRolePassingCalls_HitTheirServicesPassRoleDetection(string service, string eventName, string requestParameters, string? detection, string identity = IamUser)
    {
        // Given a generated call to the service with these request parameters
        var json = Generated(service + ".amazonaws.com", eventName, requestParameters, identity);

        // When the high-risk pack evaluates it
        var hits = Hits(HighRisk, json);

        // Then it hits the service's PassRole detection only when it hands over a role
        Assert.Equal(detection is null ? [] : [detection], hits);
    }

    private const string IamUser = """{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/u","accountId":"111122223333"}""";

    private const string ServiceLinkedRole = """{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling","invokedBy":"autoscaling.amazonaws.com","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"}}}""";

    private static string Generated(string eventSource, string eventName, string requestParameters, string identity = IamUser) =>
        $$"""{"eventVersion":"1.08","userIdentity":{{identity}},"eventTime":"2026-03-01T09:00:00Z","eventSource":"{{eventSource}}","eventName":"{{eventName}}","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","requestParameters":{{requestParameters}},"eventID":"ev-1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}""";
}
