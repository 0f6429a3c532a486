using TrailSieve.Core.Detections;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections.Sigma;

/// <summary>Sigma rules written for these tests in the specification's syntax, one feature each, evaluated on records.</summary>
public sealed class SigmaMatchingTests
{
    private static DetectionSet Rule(string detection, string title = "t") => Load($"""
        title: {title}
        id: 5f0c2c1e-0000-4000-8000-000000000001
        logsource:
          product: aws
          service: cloudtrail
        detection:
        {Indent(detection)}
        level: medium
        """);

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(line => "  " + line));

    private static bool Fires(string detection, string json) => Hits(With(Rule(detection)), json).Count == 1;

    [Theory]
    [InlineData("""{"eventSource":"iam.amazonaws.com","eventName":"CreateUser"}""", true)]
    [InlineData("""{"eventSource":"IAM.AMAZONAWS.COM","eventName":"createuser"}""", true)]
    [InlineData("""{"eventSource":"iam.amazonaws.com","eventName":"DeleteUser"}""", false)]
    [InlineData("""{"eventSource":"s3.amazonaws.com","eventName":"CreateUser"}""", false)]
    [InlineData("""{"eventName":"CreateUser"}""", false)]
    public void Map_AndsItsFields_IgnoringCase(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              eventSource: iam.amazonaws.com
              eventName: CreateUser
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"eventName":"CreateUser"}""", true)]
    [InlineData("""{"eventName":"DeleteUser"}""", true)]
    [InlineData("""{"eventName":"GetUser"}""", false)]
    public void ValueList_IsOr(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              eventName: [CreateUser, DeleteUser]
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"eventSource":"ssm.amazonaws.com"}""", true)]
    [InlineData("""{"eventName":"RegisterManagedInstance"}""", true)]
    [InlineData("""{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}""", false)]
    public void ListOfMaps_IsOr(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              - eventSource: ssm.amazonaws.com
              - eventName: RegisterManagedInstance
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"userAgent":"aws-cli/2.0 Boto3 S3 Browser"}""", true)]
    [InlineData("""{"userAgent":"aws-cli/2.0"}""", false)]
    [InlineData("""{"userAgent":"S3 Browser"}""", false)]
    public void ContainsAll_NeedsEveryValue(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              userAgent|contains|all: [aws-cli, s3 browser]
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("GetObject", "Get*", true)]
    [InlineData("GetObject", "*object", true)]
    [InlineData("GetObject", "G?tObject", true)]
    [InlineData("GetObject", "G?Object", false)]
    [InlineData("GetObject", "*t*j*", true)]
    [InlineData("GetObject", "*", true)]
    [InlineData("", "*", true)]
    [InlineData("a*b", "a\\*b", true)]
    [InlineData("axb", "a\\*b", false)]
    [InlineData("a?b", "a\\?b", true)]
    [InlineData("axb", "a\\?b", false)]
    [InlineData("a\\b", "a\\\\b", true)]
    [InlineData("a\\b", "a\\b", true)]
    [InlineData("C:\\x*", "C:\\x\\*", true)]
    public void Wildcards_AndEscapes_FollowTheSpecification(string value, string pattern, bool expected)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["eventName"] = value });
        var quoted = "'" + pattern.Replace("'", "''", StringComparison.Ordinal) + "'";
        Assert.Equal(expected, Fires($"""
            selection:
              eventName: {quoted}
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("contains", "ObjectAcl", true)]
    [InlineData("contains", "objectacl", true)]
    [InlineData("startswith", "PutObject", true)]
    [InlineData("startswith", "Object", false)]
    [InlineData("endswith", "acl", true)]
    [InlineData("endswith", "Put", false)]
    public void Affixes_MatchPartOfTheValue(string modifier, string value, bool expected)
    {
        Assert.Equal(expected, Fires($"""
            selection:
              eventName|{modifier}: {value}
            condition: selection
            """, """{"eventName":"PutObjectAcl"}"""));
    }

    [Theory]
    [InlineData("""{"eventName":"CreateUser"}""", "eventName|cased: CreateUser", true)]
    [InlineData("""{"eventName":"createuser"}""", "eventName|cased: CreateUser", false)]
    [InlineData("""{"eventName":"PutObjectAcl"}""", "eventName|contains|cased: Object", true)]
    [InlineData("""{"eventName":"PutObjectAcl"}""", "eventName|contains|cased: object", false)]
    public void Cased_ComparesCase(string json, string test, bool expected)
    {
        Assert.Equal(expected, Fires($"""
            selection:
              {test}
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}}""", "userIdentity.arn|re: ':assumed-role/aws:.+'", true)]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:sts::1:ASSUMED-ROLE/aws:x"}}""", "userIdentity.arn|re: ':assumed-role/aws:.+'", false)]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:sts::1:ASSUMED-ROLE/aws:x"}}""", "userIdentity.arn|re|i: ':assumed-role/aws:.+'", true)]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:iam::1:user/bob"}}""", "userIdentity.arn|re: '^arn:aws:iam::[0-9]+:user/'", true)]
    public void Re_SearchesWithTheLinearEngine(string json, string test, bool expected)
    {
        Assert.Equal(expected, Fires($"""
            selection:
              {test}
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("192.168.0.9", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("AWS Internal", false)]
    public void Cidr_MatchesAddressesInTheNetworks(string address, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              sourceIPAddress|cidr: [10.0.0.0/8, 192.168.0.0/16, "2001:db8::/32"]
            condition: selection
            """, $$"""{"sourceIPAddress":"{{address}}"}"""));
    }

    [Theory]
    [InlineData("""{"userIdentity":{"userName":"alice"},"requestParameters":{"userName":"ALICE"}}""", true)]
    [InlineData("""{"userIdentity":{"userName":"alice"},"requestParameters":{"userName":"bob"}}""", false)]
    [InlineData("""{"userIdentity":{"userName":"alice"}}""", false)]
    public void Fieldref_ComparesTwoFieldsOfTheRecord(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              userIdentity.userName|fieldref: requestParameters.userName
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:iam::1:user/alice"},"requestParameters":{"userName":"alice"}}""", true)]
    [InlineData("""{"userIdentity":{"arn":"arn:aws:iam::1:user/alice"},"requestParameters":{"userName":"bob"}}""", false)]
    public void FieldrefContains_LooksForTheOtherFieldsValue(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              userIdentity.arn|fieldref|contains: requestParameters.userName
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"errorCode":"AccessDenied"}""", "true", true)]
    [InlineData("""{"errorCode":null}""", "true", true)]
    [InlineData("""{"eventName":"x"}""", "true", false)]
    [InlineData("""{"eventName":"x"}""", "false", true)]
    [InlineData("""{"errorCode":"AccessDenied"}""", "false", false)]
    public void Exists_TellsPresentFromAbsent(string json, string exists, bool expected)
    {
        Assert.Equal(expected, Fires($"""
            selection:
              errorCode|exists: {exists}
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"eventName":"DeleteBucket"}""", true)]
    [InlineData("""{"eventName":"DeleteBucket","errorCode":null}""", true)]
    [InlineData("""{"eventName":"DeleteBucket","errorCode":"AccessDenied"}""", false)]
    [InlineData("""{"eventName":"DeleteBucket","errorCode":""}""", false)]
    public void Null_IsMissingOrNull(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              eventName: DeleteBucket
              errorCode: null
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"requestParameters":{"containerDefinitions":[{"command":["sh","-c","curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]}]}}""", true)]
    [InlineData("""{"requestParameters":{"containerDefinitions":[{"command":["sh"]},{"command":["echo $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]}]}}""", true)]
    [InlineData("""{"requestParameters":{"containerDefinitions":[{"command":["sh"]}]}}""", false)]
    [InlineData("""{"requestParameters":{"containerDefinitions":{"command":"x $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"}}}""", true)]
    public void DottedPath_GoesThroughObjectsAndArrays(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              requestParameters.containerDefinitions.command|contains: '$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"requestParameters":{"bucketName":"b","VersioningConfiguration":{"Status":"Suspended"}}}""", true)]
    [InlineData("""{"requestParameters":{"bucketName":"b","VersioningConfiguration":{"Status":"Enabled"}}}""", false)]
    [InlineData("""{"requestParameters":["Suspended"]}""", true)]
    [InlineData("""{"requestParameters":null}""", false)]
    public void ObjectValue_IsMatchedAsItsJsonText(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              requestParameters|contains: suspended
            condition: selection
            """, json));
    }

    [Fact]
    public void ObjectValue_ContainsQuotedJson_MatchesTheRawText()
    {
        Assert.True(Fires("""
            selection:
              requestParameters|contains|all: ['"s3:GetObject"', '"Allow"']
            condition: selection
            """, """{"requestParameters":{"policyDocument":{"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}}}"""));
    }

    [Theory]
    [InlineData("""{"responseElements":{"publiclyAccessible":true}}""", true)]
    [InlineData("""{"responseElements":{"publiclyAccessible":"true"}}""", true)]
    [InlineData("""{"responseElements":{"publiclyAccessible":false}}""", false)]
    public void Booleans_MatchAsTheirText(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            selection:
              responseElements.publiclyAccessible: 'true'
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"requestParameters":{"fromPort":22}}""", "fromPort: 22", true)]
    [InlineData("""{"requestParameters":{"fromPort":"22"}}""", "fromPort: 22", true)]
    [InlineData("""{"requestParameters":{"fromPort":2222}}""", "fromPort: 22", false)]
    [InlineData("""{"requestParameters":{"fromPort":0}}""", "fromPort|lt: 1024", true)]
    [InlineData("""{"requestParameters":{"fromPort":8080}}""", "fromPort|gte: 1024", true)]
    [InlineData("""{"requestParameters":{"fromPort":80}}""", "fromPort|gt: 80", false)]
    public void Numbers_MatchAsTextOrCompare(string json, string test, bool expected)
    {
        Assert.Equal(expected, Fires($"""
            selection:
              requestParameters.{test}
            condition: selection
            """, json));
    }

    [Theory]
    [InlineData("""{"userAgent":"TruffleHog/3"}""", true)]
    [InlineData("""{"requestParameters":{"note":"trufflehog was here"}}""", true)]
    [InlineData("""{"userAgent":"aws-cli"}""", false)]
    public void Keywords_MatchAnywhereInTheRecord(string json, bool expected)
    {
        Assert.Equal(expected, Fires("""
            keywords:
              - trufflehog
            condition: keywords
            """, json));
    }
    [Theory]
    [InlineData("""{"eventName":"X","userIdentity":{"type":"AssumedRole","accountId":"1","sessionContext":{"sessionIssuer":{"type":"Role"},"attributes":{"mfaAuthenticated":"true"}}}}""", "drop", true)]
    [InlineData("""{"eventName":"X","userIdentity":{"sessionContext":{"attributes":{"mfaAuthenticated":"true"},"sessionIssuer":{"type":"Role"}},"type":"AssumedRole"}}""", "drop", true)]
    [InlineData("""{"eventName":"X","userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"type":"User"},"attributes":{"mfaAuthenticated":"true"}}}}""", "keep", false)]
    [InlineData("""{"eventName":"X","userIdentity":{"type":"IAMUser","sessionContext":{"sessionIssuer":{"type":"Role"},"attributes":{"mfaAuthenticated":"false"}}}}""", "keep", false)]
    public void RulePathAndSigmaPath_ThroughOneObject_BothSeeItsValues(string json, string action, bool fires)
    {
        // Given filter rules and a Sigma rule reading the same object (userIdentity) and one field in it
        var rules = With(Rule("""
            selection:
              userIdentity.type: assumedrole
              userIdentity.sessionContext|contains: '"mfaAuthenticated":"true"'
              userIdentity.sessionContext.sessionIssuer.type: Role
            condition: selection
            """), """
            rules:
              - name: drop role sessions
                action: drop
                matches:
                  - field_name: userIdentity.type
                    equals: AssumedRole
                  - field_name: userIdentity.sessionContext.sessionIssuer.type
                    equals: Role
            """);

        // When / Then: the rule's case-sensitive values and Sigma's object text and case-insensitive values, in one walk
        var record = System.Text.Encoding.UTF8.GetBytes(json);
        Assert.Equal(action, rules.Evaluate(record, out _).Action.ToString().ToLowerInvariant());
        Assert.Equal(fires, Hits(rules, record).Count == 1);
    }
}
