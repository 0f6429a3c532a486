using System.Text;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections;

/// <summary>
/// The shipped packs (rules/detections/) load cleanly, and threats.yaml hits what it says on real CloudTrail records
/// from tests/corpus/real (picked by eventID, or every record of a kind) and on generated ones, with near misses
/// that must not hit. high-risk.yaml has its own tests (<see cref="HighRiskPackTests"/>).
/// </summary>
public sealed class DetectionPackTests
{
    private static CompiledRuleSet Threats { get; } = With(DetectionSetLoader.LoadFile(Path.Combine(PacksFolder, "threats.yaml")));

    public static TheoryData<string> PackFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(PacksFolder, "*.yaml"))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PackFiles))]
    public void LoadFile_ShippedPack_IsADetectionFileWithoutWarnings(string file)
    {
        // Given a pack under rules/detections/
        var path = Path.Combine(PacksFolder, file);

        // When it is loaded as detections
        var set = DetectionSetLoader.LoadFile(path);

        // Then it is recognised as a detection file, loads, warns of nothing, and every detection has a description
        Assert.True(DetectionSetLoader.IsDetectionFile(File.ReadAllText(path)));
        Assert.NotEmpty(set.Detections);
        Assert.Empty(set.Warnings);
        Assert.All(set.Detections, d => Assert.NotEmpty(d.Description));
    }

    [Fact]
    public void LoadFiles_BothPacks_LoadTogether()
    {
        // Given both packs
        // When they are loaded as one set
        var set = DetectionSetLoader.LoadFiles(Directory.EnumerateFiles(PacksFolder, "*.yaml").Order(StringComparer.Ordinal));

        // Then the names are unique and each pack's detections are there
        Assert.Equal(21, set.Detections.Count);
        Assert.Contains(set.Detections, d => d.Name == "Repeated failed console logins" && d.Threshold is { Count: 5 } t && t.Window == TimeSpan.FromMinutes(5) && t.GroupBy.SequenceEqual(["sourceIPAddress"]));
        Assert.All(set.Detections.Where(d => d.Source.EndsWith("high-risk.yaml", StringComparison.Ordinal)), d => Assert.Equal(Severity.High, d.Severity));
    }

    // eventIDs of real records in tests/corpus/real (SOURCES.md names each folder's origin) and what each must hit.
    [Theory]
    [InlineData("49d14f36-6450-44a5-a501-b0fdcdfaeb98", "Root account usage")] // awsdocs: root PutRule
    [InlineData("e3ea18ad-9f89-4833-9051-ba2ea1430553", "Root account usage")] // cloud-custodian
    [InlineData("4d293154-a15b-4c33-9e0a-ff5eeEXAMPLE", "Root account usage")] // trailscraper
    [InlineData("3fcfb182-98f8-4744-bd45-10a395ab61cb", "Console login without MFA")] // awsdocs
    [InlineData("865d9377-9c6b-4fd7-8aad-725e95f6a140", "Console login without MFA")] // stratus red team
    [InlineData("9d4ca355-a7d3-4422-96ae-dbe2c3431609", "Console login without MFA")] // sekoia: root, MFAUsed No
    [InlineData("dEXAMPLE-265a-41e0-9352-4401bEXAMPLE", "Destructive call succeeded")] // awsdocs DeleteBucket
    [InlineData("2d893b1d-e8f2-499b-a558-cb927d9b48ea", "Destructive call succeeded")] // invictus TerminateInstances
    [InlineData("6795ef5c-7777-4444-8888-cabb7f252bd3", "Destructive call succeeded")] // panther: errorCode ""
    [InlineData("fe41cbf3-119b-4ae5-98a4-2bf1ff244ba5", "Destructive call succeeded")] // permiso: no userIdentity type
    [InlineData("b5232796-c668-4d71-a006-d9cabb3d607d", "Destructive call succeeded")] // invictus DeleteDBInstance
    [InlineData("083dc4ad-e264-46bc-a407-d0dd31b58bdc", "Privilege escalation by a user or role")] // AttachUserPolicy by IAMUser
    [InlineData("edc26fa8-655a-4346-9e18-f79b0d9e25de", "Privilege escalation by a user or role")] // AttachRolePolicy
    [InlineData("7ee6ba6e-1943-417a-a6a3-3a2b0292cdac", "Privilege escalation by a user or role")] // PutUserPolicy by AssumedRole
    [InlineData("ccdf2d58-e36b-45d7-9457-c2578fe46741", "Privilege escalation by a user or role")] // CreateRole
    public void Evaluate_RealRecords_HitTheirThreatDetection(string eventId, string detection)
    {
        // Given a real CloudTrail record
        var record = RealRecords.ById(eventId);

        // When the threats pack evaluates it
        var hits = Hits(Threats, record);

        // Then its detection hits
        Assert.Contains(detection, hits);
    }

    [Theory]
    [InlineData("a4fbbe77-91a0-4238-804a-64314184edb6", "Root account usage")] // root console sign-in (AwsConsoleSignIn), failed
    [InlineData("a4fbbe77-91a0-4238-804a-64314184edb6", "Console login without MFA")] // ... and a failure is not a login
    [InlineData("9d4ca355-a7d3-4422-96ae-dbe2c3431609", "Root account usage")] // root console sign-in, succeeded
    [InlineData("8feee4c2-5e27-4857-8475-bfa7e7b6d791", "Console login without MFA")] // MFAUsed Yes
    [InlineData("cb9667a7-2328-46f8-9d1d-cadcad5fa607", "Console login without MFA")] // MFAUsed Yes
    [InlineData("0c3bce40-9649-4435-9328-f244fed293b5", "Destructive call succeeded")] // DeleteBucket failed: BucketNotEmpty
    [InlineData("c704b1d0-d5a6-4eed-aaf6-caecd497993b", "Destructive call succeeded")] // DeleteDBInstance failed: InvalidDBInstanceStateFault
    [InlineData("764a8eb1-9ae8-4a37-ad29-b3fb938fc6e7", "Privilege escalation by a user or role")] // no userIdentity type
    [InlineData("ae2be9cc-2dfd-42e1-a0ea-e5bc73b3d1f5", "Privilege escalation by a user or role")] // ListAccessKeys
    public void Evaluate_RealNearMisses_DoNotHit(string eventId, string detection)
    {
        // Given a real record that resembles a pattern but is not it
        var record = RealRecords.ById(eventId);

        // When the threats pack evaluates it
        var hits = Hits(Threats, record);

        // Then that detection does not hit
        Assert.DoesNotContain(detection, hits);
    }

    [Theory]
    [InlineData("""{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"errorMessage":"Failed authentication"}""", true)]
    [InlineData("""{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"}}""", false)]
    [InlineData("""{"eventSource":"signin.amazonaws.com","eventName":"CheckMfa","responseElements":{"CheckMfa":"Failure"}}""", false)]
    public void Evaluate_FailedLogin_HitsOnResponseElementsNotErrorCode(string json, bool hits)
    {
        // Given a generated sign-in record (real failures carry no errorCode)
        // When the threats pack evaluates it
        var names = Hits(Threats, json);

        // Then only a failed ConsoleLogin is a failed-login hit
        Assert.Equal(hits, names.Contains("Repeated failed console logins"));
    }

    [Fact]
    public void Evaluate_RealFailedLogins_HitTheThresholdDetection()
    {
        // Given every real failed console login in the corpus
        var failures = RealRecords.Containing("\"ConsoleLogin\":\"Failure\"");

        // When the threats pack evaluates them
        // Then each is a hit of the failed-login detection, and none has an errorCode
        Assert.NotEmpty(failures);
        Assert.All(failures, r => Assert.Contains("Repeated failed console logins", Hits(Threats, r)));
        Assert.All(failures, r => Assert.DoesNotContain("\"errorCode\"", Encoding.UTF8.GetString(r), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("DeleteDBInstance")]
    [InlineData("DeleteDBInstanceAutomatedBackup")]
    public void Evaluate_EveryRealRdsDelete_HitsOnlyASucceededDeleteDBInstance(string eventName)
    {
        // Given every real record of the call in the corpus (some succeeded, some carry an errorCode such as
        // AccessDenied; several share made-up eventIDs, so they are taken by name)
        var deletes = RealRecords.Where("rds.amazonaws.com", eventName);
        Assert.Contains(deletes, r => RealRecords.Text(r, "errorCode") is null);
        Assert.Contains(deletes, r => RealRecords.Text(r, "errorCode") is { Length: > 0 });

        // When the threats pack evaluates them
        // Then a DeleteDBInstance hits exactly when it has no errorCode; deleting an automated backup never does
        Assert.All(deletes, r => Assert.Equal(
            eventName == "DeleteDBInstance" && RealRecords.Text(r, "errorCode") is null or "",
            Hits(Threats, r).Contains("Destructive call succeeded")));
    }
}
