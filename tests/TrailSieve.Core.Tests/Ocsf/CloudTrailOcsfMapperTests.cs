using System.Text;
using System.Text.Json;
using TrailSieve.Core.Ocsf;
using TrailSieve.Core.Ocsf.Model;
using TrailSieve.Core.Tests.Detections;

namespace TrailSieve.Core.Tests.Ocsf;

public class CloudTrailOcsfMapperTests
{
    private static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly CloudTrailOcsfMapper _mapper = new();

    [Fact]
    public void Map_EveryRealCorpusRecord_ConformsToItsClassInTheSchema()
    {
        // Given every record of the real corpus
        var records = RealRecords.All;
        var problems = new List<string>();
        var classes = new Dictionary<int, int>();

        var unmappable = new List<string>();

        // When each is mapped
        foreach (var record in records)
        {
            OcsfEvent ocsf;
            try
            {
                ocsf = _mapper.Map(record);
            }
            catch (OcsfMappingException ex)
            {
                // Only records without a name, source or time (the corpus has a few trimmed or redacted ones) may
                // fail, naming what they lack
                var lacking = Lacking(record);
                Assert.True(lacking is not null, $"{RealRecords.Text(record, "eventID")}: {ex.Message}");
                Assert.StartsWith(lacking + " ", ex.Message, StringComparison.Ordinal);
                unmappable.Add(ex.Message);
                continue;
            }

            classes[ocsf.ClassUid] = classes.GetValueOrDefault(ocsf.ClassUid) + 1;

            // Then it has every attribute its class (and each object in it) requires, typed as the dictionary says,
            // no attribute its class or object does not define, and enum values from the schema
            Assert.Null(Lacking(record));
            problems.AddRange(OcsfSchemaSubset.Instance.Validate(ToJson(ocsf)).Select(p => $"{RealRecords.Text(record, "eventID")} ({RealRecords.Text(record, "eventName")}): {p}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct().Take(30)));
        Assert.True(unmappable.Count < records.Count / 10, $"{unmappable.Count} of {records.Count} unmappable");
        Assert.True(classes.GetValueOrDefault(6003) > 1000, $"API Activity: {classes.GetValueOrDefault(6003)}");
        Assert.True(classes.GetValueOrDefault(3002) >= 65, $"Authentication: {classes.GetValueOrDefault(3002)}");
        Assert.True(classes.GetValueOrDefault(3001) >= 50, $"Account Change: {classes.GetValueOrDefault(3001)}");
    }

    [Theory]
    [InlineData("signin.amazonaws.com", "ConsoleLogin", 3002)]
    [InlineData("iam.amazonaws.com", "CreateUser", 3001)]
    [InlineData("iam.amazonaws.com", "AttachUserPolicy", 3001)]
    [InlineData("iam.amazonaws.com", "CreateAccessKey", 3001)]
    [InlineData("iam.amazonaws.com", "UpdateLoginProfile", 3001)]
    [InlineData("signin.amazonaws.com", "GetSigninToken", 3002)]
    public void Map_RealRecordsOfEachClass_ConformToTheSchema(string eventSource, string eventName, int classUid)
    {
        // Given the corpus's records of one event
        var records = RealRecords.Where(eventSource, eventName).Where(HasTime).ToList();
        Assert.NotEmpty(records);

        foreach (var record in records)
        {
            // When mapped
            var ocsf = _mapper.Map(record);

            // Then they are of the class, and conform to it
            Assert.Equal(classUid, ocsf.ClassUid);
            Assert.Empty(OcsfSchemaSubset.Instance.Validate(ToJson(ocsf)));
            Assert.Equal(eventName, ocsf.Api!.Operation);
            Assert.Equal(eventSource, ocsf.Api.Service!.Name);
            Assert.NotNull(ocsf.User);
        }
    }

    [Fact]
    public void Map_ApiCall_FillsTheBaseEventAndApiActivityAttributes()
    {
        // Given a failed EC2 call by an assumed role
        var record = """
            {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:alice","arn":"arn:aws:sts::111122223333:assumed-role/Admin/alice","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/Admin","accountId":"111122223333","userName":"Admin"},"attributes":{"creationDate":"2026-01-02T03:00:00Z","mfaAuthenticated":"true"}}},
             "eventTime":"2026-01-02T03:04:05Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15",
             "errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized","requestParameters":{"instanceType":"t3.micro"},"responseElements":null,"requestID":"req-1","eventID":"ev-1",
             "readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","resources":[{"ARN":"arn:aws:ec2:eu-west-1:111122223333:instance/i-1","accountId":"111122223333","type":"AWS::EC2::Instance"}]}
            """u8.ToArray();

        // When mapped
        var ocsf = _mapper.Map(record);

        // Then
        Assert.Equal((6003, 6, 1, 600301L), (ocsf.ClassUid, ocsf.CategoryUid, ocsf.ActivityId, ocsf.TypeUid));
        Assert.Equal("API Activity: Create", ocsf.TypeName);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeMilliseconds(), ocsf.Time);
        Assert.Equal((1, "Informational"), (ocsf.SeverityId, ocsf.Severity));
        Assert.Equal((2, "Failure", "Client.UnauthorizedOperation", "You are not authorized"), (ocsf.StatusId, ocsf.Status, ocsf.StatusCode, ocsf.StatusDetail));
        Assert.Equal(("1.1.0", "CloudTrail", "AWS", "1.08", "Management"), (ocsf.Metadata.Version, ocsf.Metadata.Product.Name, ocsf.Metadata.Product.VendorName, ocsf.Metadata.Product.Version, ocsf.Metadata.Product.Feature!.Name));
        Assert.Equal(("ev-1", "AwsApiCall"), (ocsf.Metadata.Uid, ocsf.Metadata.EventCode));
        Assert.Equal(("AWS", "eu-west-1", "111122223333"), (ocsf.Cloud.Provider, ocsf.Cloud.Region, ocsf.Cloud.Account!.Uid));
        Assert.Equal(("RunInstances", "ec2.amazonaws.com", "req-1"), (ocsf.Api!.Operation, ocsf.Api.Service!.Name, ocsf.Api.Request!.Uid));
        Assert.Equal("Client.UnauthorizedOperation", ocsf.Api.Response!.Error);
        Assert.Equal(("203.0.113.7", "aws-cli/2.15"), (ocsf.SrcEndpoint!.Ip, ocsf.HttpRequest!.UserAgent));
        var user = ocsf.Actor!.User!;
        Assert.Equal(("Admin", "arn:aws:sts::111122223333:assumed-role/Admin/alice", "AROAEXAMPLE:alice", "AssumedRole", 1, "ASIAEXAMPLE"), (user.Name, user.Uid, user.UidAlt, user.Type, user.TypeId, user.CredentialUid));
        Assert.Equal((true, "arn:aws:iam::111122223333:role/Admin"), (ocsf.Actor.Session!.IsMfa, ocsf.Actor.Session.Issuer));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), ocsf.Actor.Session.CreatedTime);
        Assert.Equal("arn:aws:ec2:eu-west-1:111122223333:instance/i-1", Assert.Single(ocsf.Resources!).Uid);
        Assert.Equal(Encoding.UTF8.GetString(record), ocsf.RawData);
        Assert.Null(ocsf.Unmapped);
        Assert.Empty(OcsfSchemaSubset.Instance.Validate(ToJson(ocsf)));
    }

    [Fact]
    public void Map_ConsoleLoginFailure_IsAFailedLogonWithMfaAndTheUserSigningIn()
    {
        // Given a failed console sign-in (CloudTrail says so in responseElements, with no errorCode)
        var record = """
            {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","accountId":"111122223333","accessKeyId":"","userName":"bob"},"eventTime":"2026-01-02T03:04:05Z",
             "eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","userAgent":"Mozilla/5.0","errorMessage":"Failed authentication",
             "requestParameters":null,"responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"Yes"},"eventID":"ev-2","eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333"}
            """u8.ToArray();

        // When mapped
        var ocsf = _mapper.Map(record);

        // Then
        Assert.Equal((3002, 3, 1, "Logon", 300201L), (ocsf.ClassUid, ocsf.CategoryUid, ocsf.ActivityId, ocsf.ActivityName, ocsf.TypeUid));
        Assert.Equal((2, "Failure", "Failed authentication"), (ocsf.StatusId, ocsf.Status, ocsf.StatusDetail));
        Assert.Equal(("bob", true, "signin.amazonaws.com"), (ocsf.User!.Name, ocsf.IsMfa, ocsf.Service!.Name));
        Assert.Null(ocsf.Resources);
        Assert.Empty(OcsfSchemaSubset.Instance.Validate(ToJson(ocsf)));
    }

    [Fact]
    public void Map_CreateUserAndAttachUserPolicy_NameTheChangedUserAndPolicy()
    {
        // Given an admin creating a user, then attaching a managed policy to it
        const string Caller = """ "userIdentity":{"type":"IAMUser","principalId":"AIDAADMIN","arn":"arn:aws:iam::111122223333:user/admin","accountId":"111122223333","userName":"admin"}""";
        var create = Encoding.UTF8.GetBytes($$$"""{"eventVersion":"1.08",{{{Caller}}},"eventTime":"2026-01-02T03:04:05Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","requestParameters":{"userName":"mallory"},"responseElements":{"user":{"userName":"mallory","userId":"AIDAMALLORY","arn":"arn:aws:iam::111122223333:user/mallory"}},"eventID":"ev-3","recipientAccountId":"111122223333"}""");
        var attach = Encoding.UTF8.GetBytes($$$"""{"eventVersion":"1.08",{{{Caller}}},"eventTime":"2026-01-02T03:05:05Z","eventSource":"iam.amazonaws.com","eventName":"AttachUserPolicy","awsRegion":"us-east-1","requestParameters":{"userName":"mallory","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"responseElements":null,"eventID":"ev-4","recipientAccountId":"111122223333"}""");

        // When mapped
        var created = _mapper.Map(create);
        var attached = _mapper.Map(attach);

        // Then
        Assert.Equal((3001, 1, "Create", 300101L), (created.ClassUid, created.ActivityId, created.ActivityName, created.TypeUid));
        Assert.Equal(("mallory", "arn:aws:iam::111122223333:user/mallory", "AIDAMALLORY"), (created.User!.Name, created.User.Uid, created.User.UidAlt));
        Assert.Equal("admin", created.Actor!.User!.Name);
        Assert.Equal((3001, 7, "Attach Policy", 300107L), (attached.ClassUid, attached.ActivityId, attached.ActivityName, attached.TypeUid));
        Assert.Equal(("mallory", "arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess"), (attached.User!.Name, attached.Policy!.Uid, attached.Policy.Name));
        Assert.Empty(OcsfSchemaSubset.Instance.Validate(ToJson(created)));
        Assert.Empty(OcsfSchemaSubset.Instance.Validate(ToJson(attached)));
    }

    [Fact]
    public void Map_ServiceAsSource_GoesToTheEndpointsDomain()
    {
        // Given a call made by an AWS service (its name where the IP address would be)
        var record = """{"eventTime":"2026-01-02T03:04:05Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","sourceIPAddress":"ec2.amazonaws.com","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}}"""u8.ToArray();

        // When mapped
        var ocsf = _mapper.Map(record);

        // Then the source is a domain, the actor a system user, and the call a read
        Assert.Equal((null, "ec2.amazonaws.com"), (ocsf.SrcEndpoint!.Ip, ocsf.SrcEndpoint.Domain));
        Assert.Equal((3, "ec2.amazonaws.com"), (ocsf.Actor!.User!.TypeId, ocsf.Actor.InvokedBy));
        Assert.Equal((2, 1, "Success"), (ocsf.ActivityId, ocsf.StatusId, ocsf.Status));
        Assert.Empty(OcsfSchemaSubset.Instance.Validate(ToJson(ocsf)));
    }

    [Theory]
    [InlineData("""{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}""", "eventTime is missing")]
    [InlineData("""{"eventTime":"yesterday","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}""", "eventTime 'yesterday' is not an ISO 8601 time")]
    [InlineData("""{"eventTime":"2026-01-02T03:04:05Z","eventSource":"ec2.amazonaws.com"}""", "eventName is missing")]
    [InlineData("""{"eventTime":"2026-01-02T03:04:05Z","eventName":"RunInstances","eventSource":7}""", "eventSource is a JSON number, not a string")]
    [InlineData("""{"eventTime":"2026-01-02T03:04:05Z","eventName":"","eventSource":"ec2.amazonaws.com"}""", "eventName is empty")]
    public void Map_RecordWithoutWhatOcsfRequires_ThrowsNamingTheReason(string record, string reason)
    {
        // Given a record lacking what a required attribute needs
        // When mapped
        var ex = Assert.Throws<OcsfMappingException>(() => _mapper.Map(Encoding.UTF8.GetBytes(record)));

        // Then the reason is named
        Assert.Equal(reason, ex.Message);
    }

    [Theory]
    [InlineData(OcsfRawData.RawData)]
    [InlineData(OcsfRawData.Unmapped)]
    [InlineData(OcsfRawData.None)]
    public void Map_RawDataOption_KeepsTheRecordWhereItSays(OcsfRawData mode)
    {
        // Given a record with fields no attribute holds
        var record = """{"eventTime":"2026-01-02T03:04:05Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","requestParameters":{"bucketName":"b","key":"k"},"sharedEventID":"s-1","vpcEndpointId":"vpce-1","responseElements":null}"""u8.ToArray();

        // When mapped with the option
        var ocsf = new CloudTrailOcsfMapper(mode).Map(record);

        // Then the record is in raw_data, its unmapped fields in unmapped (JSON text; strings as they are), or neither
        Assert.Equal(mode == OcsfRawData.RawData ? Encoding.UTF8.GetString(record) : null, ocsf.RawData);
        if (mode == OcsfRawData.Unmapped)
        {
            Assert.Equal(
                new Dictionary<string, string> { ["requestParameters"] = """{"bucketName":"b","key":"k"}""", ["sharedEventID"] = "s-1", ["vpcEndpointId"] = "vpce-1" },
                ocsf.Unmapped);
        }
        else
        {
            Assert.Null(ocsf.Unmapped);
        }

        Assert.Empty(OcsfSchemaSubset.Instance.Validate(ToJson(ocsf)));
    }

    [Fact]
    public void SchemaSubset_RequiredAttributes_AreWhatOcsf110Says()
    {
        // The schema subset resolves as OCSF 1.1.0 documents its classes (a check of the checker)
        var required = (string c) => OcsfSchemaSubset.Instance.ClassAttributes(c).Values.Where(a => a.Requirement == "required").Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        string[] baseEvent = ["activity_id", "category_uid", "class_uid", "cloud", "metadata", "severity_id", "time", "type_uid"];
        Assert.Equal([.. baseEvent.Concat(["actor", "api", "src_endpoint"]).Order(StringComparer.Ordinal)], required("api_activity"));
        Assert.Equal([.. baseEvent.Concat(["user"]).Order(StringComparer.Ordinal)], required("authentication"));
        Assert.Equal([.. baseEvent.Concat(["user"]).Order(StringComparer.Ordinal)], required("account_change"));
        Assert.Equal((6003, 3002, 3001), (OcsfSchemaSubset.Instance.ClassUid("api_activity"), OcsfSchemaSubset.Instance.ClassUid("authentication"), OcsfSchemaSubset.Instance.ClassUid("account_change")));
        Assert.Contains("vendor_name", OcsfSchemaSubset.Instance.ObjectAttributes("product").Values.Where(a => a.Requirement == "required").Select(a => a.Name));
    }

    [Fact]
    public void SchemaSubset_EventMissingARequiredAttribute_IsReported()
    {
        // Given a conforming event with its api taken away, and one with an attribute its class does not have
        var ocsf = _mapper.Map("""{"eventTime":"2026-01-02T03:04:05Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}"""u8.ToArray());
        ocsf.Api = null;
        var signin = _mapper.Map("""{"eventTime":"2026-01-02T03:04:05Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}"""u8.ToArray());
        signin.IsMfa = true;

        // Then the checker says so
        Assert.Contains("api_activity.api is required but missing", OcsfSchemaSubset.Instance.Validate(ToJson(ocsf)));
        Assert.Contains("api_activity.is_mfa is not an attribute of api_activity", OcsfSchemaSubset.Instance.Validate(ToJson(signin)));
    }

    /// <summary>The first of eventName, eventSource and eventTime (as a time) the record lacks, as the mapper checks them; null when it has all three.</summary>
    private static string? Lacking(byte[] record) =>
        string.IsNullOrEmpty(RealRecords.Text(record, "eventName")) ? "eventName"
        : string.IsNullOrEmpty(RealRecords.Text(record, "eventSource")) ? "eventSource"
        : !HasTime(record) ? "eventTime"
        : null;

    private static bool HasTime(byte[] record) =>
        DateTimeOffset.TryParse(RealRecords.Text(record, "eventTime"), System.Globalization.CultureInfo.InvariantCulture, out _);

    private static JsonElement ToJson(OcsfEvent ocsf) => JsonSerializer.SerializeToElement(ocsf, s_json);
}
