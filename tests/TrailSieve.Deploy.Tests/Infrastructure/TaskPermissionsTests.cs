using System.Text.Json.Nodes;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class TaskPermissionsTests(DefaultTemplate defaults, VariantTemplate variant)
{
    public static TheoryData<string> Variants => ["default", "variant"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryPolicyStatement_AnyVariant_GrantsNoS3OrSqsActionOnAWildcard(string which)
    {
        // Given every statement of every identity and resource policy in the template
        var stack = Pick(which);
        var statements = AllStatements(stack).Where(s => (string?)s["Effect"] == "Allow").ToList();
        var storage = statements.Where(s => Json.Strings(s["Action"]).Any(a => a == "*" || a.StartsWith("s3:", StringComparison.Ordinal) || a.StartsWith("sqs:", StringComparison.Ordinal))).ToList();

        // Then the walk saw the task roles' statements, and none of them names "*" as action or resource
        Assert.True(storage.Count >= 8, $"expected the s3/sqs statements of the task roles, found {storage.Count}");
        foreach (var statement in storage)
        {
            var text = statement.ToJsonString();
            Assert.DoesNotContain(Json.Strings(statement["Action"]), a => a is "*" or "s3:*" or "sqs:*");
            Assert.NotNull(statement["Resource"]);
            Assert.DoesNotContain(Json.Many(statement["Resource"]), r => r is JsonValue v && v.TryGetValue<string>(out var s) && (s == "*" || s.EndsWith(":::*", StringComparison.Ordinal)));
            Assert.DoesNotContain("\"Resource\":\"*\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WorkerTaskRole_Default_ConsumesTheQueueReadsTheSourcePrefixWritesTheOutput()
    {
        var statements = defaults.RoleStatements("WorkerTaskRole").ToDictionary(s => (string)s["Sid"]!);

        Assert.Equal(["ConsumeQueue", "ListOutput", "ReadCloudTrail", "ReadOutput", "WriteOutput"], statements.Keys.Order());
        Assert.Equal(
            ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            Json.Strings(statements["ConsumeQueue"]["Action"]).Order());
        Assert.Equal(defaults.LogicalId("AWS::SQS::Queue", "NotificationsQueue"), (string?)statements["ConsumeQueue"]["Resource"]!["Fn::GetAtt"]![0]);
        Assert.Equal(["s3:GetObject"], Json.Strings(statements["ReadCloudTrail"]["Action"]));
        Assert.Equal($"arn:${{AWS::Partition}}:s3:::{StackContexts.SourceBucket}/AWSLogs/*", Json.Flat(statements["ReadCloudTrail"]["Resource"]));
        Assert.Equal(["s3:AbortMultipartUpload", "s3:PutObject"], Json.Strings(statements["WriteOutput"]["Action"]).Order());
        var bucket = defaults.LogicalId("AWS::S3::Bucket", "OutputBucket");
        Assert.Equal(
            [$"${{{bucket}.Arn}}/records/*", $"${{{bucket}.Arn}}/alerts/*"],
            Json.Many(statements["WriteOutput"]["Resource"]).Select(Json.Flat));

        // The delivery ledger (Output:ExactlyOnce): read markers and see batches under the output prefix, list it for 404s
        Assert.Equal(["s3:GetObject"], Json.Strings(statements["ReadOutput"]["Action"]));
        Assert.Equal($"${{{bucket}.Arn}}/records/*", Json.Flat(statements["ReadOutput"]["Resource"]));
        Assert.Equal(["s3:ListBucket"], Json.Strings(statements["ListOutput"]["Action"]));
        Assert.Equal(["records/*"], Json.Strings(statements["ListOutput"]["Condition"]!["StringLike"]!["s3:prefix"]));
    }

    [Fact]
    public void TaskRoles_Default_HaveNoKmsPermission()
    {
        var kms = AllStatements(defaults).Where(s => Json.Strings(s["Action"]).Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));

        Assert.Empty(kms);
    }

    [Fact]
    public void WorkerTaskRole_Variant_KmsOnlyOnTheConfiguredKeysAndRulesOnlyFromTheirObject()
    {
        var statements = variant.RoleStatements("WorkerTaskRole").ToDictionary(s => (string)s["Sid"]!);

        Assert.Equal(["kms:Decrypt"], Json.Strings(statements["DecryptSource"]["Action"]));
        Assert.Equal([StackContexts.SourceKeyArn], Json.Strings(statements["DecryptSource"]["Resource"]));
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey"], Json.Strings(statements["UseOutputKey"]["Action"]).Order());
        Assert.Equal([StackContexts.OutputKeyArn], Json.Strings(statements["UseOutputKey"]["Resource"]));
        Assert.Equal(["s3:GetObject"], Json.Strings(statements["ReadRules"]["Action"]));
        Assert.Equal("arn:${AWS::Partition}:s3:::acme-config/trailsieve/rules.yaml", Json.Flat(statements["ReadRules"]["Resource"]));
        Assert.Equal(["s3:GetObject"], Json.Strings(statements["ReadDetections"]["Action"]));
        Assert.Equal("arn:${AWS::Partition}:s3:::acme-config/trailsieve/detections.yaml", Json.Flat(statements["ReadDetections"]["Resource"]));
        Assert.Equal($"arn:${{AWS::Partition}}:s3:::{StackContexts.SourceBucket}/AWSLogs/o-abc123/*", Json.Flat(statements["ReadCloudTrail"]["Resource"]));
    }

    [Fact]
    public void BackfillTaskRole_Default_ListsOnlyUnderThePrefixReadsWritesEnqueuesAndKeepsCheckpoints()
    {
        // Given the backfill task's role
        var statements = defaults.RoleStatements("BackfillTaskRole").ToDictionary(s => (string)s["Sid"]!);
        var bucket = defaults.LogicalId("AWS::S3::Bucket", "OutputBucket");

        // Then it lists the source prefix only, enqueues without consuming, and reads and writes checkpoints/ only
        Assert.Equal(["EnqueueObjects", "KeepCheckpoints", "ListCheckpoints", "ListCloudTrail", "ListOutput", "ReadCloudTrail", "ReadOutput", "WriteOutput"], statements.Keys.Order());
        var list = statements["ListCloudTrail"];
        Assert.Equal(["s3:ListBucket"], Json.Strings(list["Action"]));
        Assert.Equal($"arn:${{AWS::Partition}}:s3:::{StackContexts.SourceBucket}", Json.Flat(list["Resource"]));
        Assert.Equal(["AWSLogs/*"], Json.Strings(list["Condition"]!["StringLike"]!["s3:prefix"]));
        Assert.Contains("sqs:SendMessage", Json.Strings(statements["EnqueueObjects"]["Action"]));
        Assert.DoesNotContain("sqs:DeleteMessage", Json.Strings(statements["EnqueueObjects"]["Action"]));
        Assert.Equal(["s3:GetObject", "s3:PutObject"], Json.Strings(statements["KeepCheckpoints"]["Action"]).Order());
        Assert.Equal($"${{{bucket}.Arn}}/checkpoints/*", Json.Flat(statements["KeepCheckpoints"]["Resource"]));
        Assert.Equal(["s3:ListBucket"], Json.Strings(statements["ListCheckpoints"]["Action"]));
        Assert.Equal($"${{{bucket}.Arn}}", Json.Flat(statements["ListCheckpoints"]["Resource"]));
        Assert.Equal(["checkpoints/*"], Json.Strings(statements["ListCheckpoints"]["Condition"]!["StringLike"]!["s3:prefix"]));
    }

    [Fact]
    public void WorkerTaskRole_Default_CannotTouchCheckpoints()
    {
        var resources = defaults.RoleStatements("WorkerTaskRole").SelectMany(s => Json.Many(s["Resource"]).Select(Json.Flat));

        Assert.DoesNotContain(resources, r => r.Contains("checkpoints/", StringComparison.Ordinal));
    }

    [Fact]
    public void ReportTaskRole_Default_ReadsTheRecordsAndFindingsPrefixesAndWritesOnlyReports()
    {
        var statements = defaults.RoleStatements("MonthlyReportTaskRole").ToDictionary(s => (string)s["Sid"]!);

        Assert.Equal(["ListFindings", "ListRecords", "ReadFindings", "ReadRecords", "WriteReports"], statements.Keys.Order());
        Assert.Equal(["records/*"], Json.Strings(statements["ListRecords"]["Condition"]!["StringLike"]!["s3:prefix"]));
        Assert.Equal(["alerts/*"], Json.Strings(statements["ListFindings"]["Condition"]!["StringLike"]!["s3:prefix"]));
        var bucket = defaults.LogicalId("AWS::S3::Bucket", "OutputBucket");
        Assert.Equal($"${{{bucket}.Arn}}", Json.Flat(statements["ListRecords"]["Resource"]));
        Assert.Equal($"${{{bucket}.Arn}}", Json.Flat(statements["ListFindings"]["Resource"]));
        Assert.Equal($"${{{bucket}.Arn}}/records/*", Json.Flat(statements["ReadRecords"]["Resource"]));
        Assert.Equal($"${{{bucket}.Arn}}/alerts/*", Json.Flat(statements["ReadFindings"]["Resource"]));
        Assert.Equal(["s3:GetObject"], Json.Strings(statements["ReadFindings"]["Action"]));
        Assert.Equal($"${{{bucket}.Arn}}/reports/*", Json.Flat(statements["WriteReports"]["Resource"]));
        Assert.DoesNotContain(statements.Values, s => Json.Strings(s["Action"]).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)));
    }

    [Fact]
    public void NotificationHandlerPolicy_Default_IsScopedToTheCloudTrailBucket()
    {
        var policy = defaults.Resources("AWS::IAM::Policy").Single(p => p.Id.StartsWith(Deploy.Infrastructure.NotificationQueue.NotificationHandlerId, StringComparison.Ordinal)).Resource;
        var statements = Properties(policy)["PolicyDocument"]!["Statement"]!.AsArray();

        Assert.NotEmpty(statements);
        Assert.All(statements, s => Assert.Equal($"arn:${{AWS::Partition}}:s3:::{StackContexts.SourceBucket}", Json.Flat(s!["Resource"])));
    }

    private SynthesizedTemplate Pick(string which) => which == "default" ? defaults : variant;

    /// <summary>Statements of IAM policies, roles' inline policies, managed policies, bucket and queue policies.</summary>
    private static IEnumerable<JsonObject> AllStatements(SynthesizedTemplate stack)
    {
        var documents = new List<JsonNode?>();
        documents.AddRange(stack.Resources("AWS::IAM::Policy").Select(p => Properties(p.Resource)["PolicyDocument"]));
        documents.AddRange(stack.Resources("AWS::IAM::ManagedPolicy").Select(p => Properties(p.Resource)["PolicyDocument"]));
        documents.AddRange(stack.Resources("AWS::S3::BucketPolicy").Select(p => Properties(p.Resource)["PolicyDocument"]));
        documents.AddRange(stack.Resources("AWS::SQS::QueuePolicy").Select(p => Properties(p.Resource)["PolicyDocument"]));
        documents.AddRange(stack.Resources("AWS::IAM::Role").SelectMany(r => Json.Many(Properties(r.Resource)["Policies"]).Select(p => p["PolicyDocument"])));
        return documents.SelectMany(d => Json.Many(d!["Statement"])).Select(s => s.AsObject());
    }
}
