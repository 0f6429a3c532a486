using TrailSieve.Core.Ocsf;

namespace TrailSieve.Core.Tests.Ocsf;

public class OcsfClassifierTests
{
    [Theory]
    [InlineData("ec2.amazonaws.com", "RunInstances", null, 6003, 1)]
    [InlineData("ec2.amazonaws.com", "DescribeInstances", null, 6003, 2)]
    [InlineData("s3.amazonaws.com", "PutBucketPolicy", false, 6003, 1)]
    [InlineData("ec2.amazonaws.com", "ModifyInstanceAttribute", false, 6003, 3)]
    [InlineData("ec2.amazonaws.com", "TerminateInstances", false, 6003, 4)]
    [InlineData("kms.amazonaws.com", "Decrypt", true, 6003, 2)]
    [InlineData("sts.amazonaws.com", "AssumeRole", null, 6003, 1)]
    [InlineData("ec2.amazonaws.com", "SettleAccounts", null, 6003, 99)]
    [InlineData("cloudtrail.amazonaws.com", "StopLogging", false, 6003, 3)]
    [InlineData("iam.amazonaws.com", "CreateRole", false, 6003, 1)]
    [InlineData("signin.amazonaws.com", "ConsoleLogin", null, 3002, 1)]
    [InlineData("signin.amazonaws.com", "GetSigninToken", null, 3002, 3)]
    [InlineData("signin.amazonaws.com", "CheckMfa", null, 3002, 99)]
    [InlineData("iam.amazonaws.com", "CreateUser", false, 3001, 1)]
    [InlineData("iam.amazonaws.com", "DeleteUser", false, 3001, 6)]
    [InlineData("iam.amazonaws.com", "ChangePassword", false, 3001, 3)]
    [InlineData("iam.amazonaws.com", "UpdateLoginProfile", false, 3001, 4)]
    [InlineData("iam.amazonaws.com", "CreateLoginProfile", false, 3001, 2)]
    [InlineData("iam.amazonaws.com", "DeleteLoginProfile", false, 3001, 5)]
    [InlineData("iam.amazonaws.com", "AttachUserPolicy", false, 3001, 7)]
    [InlineData("iam.amazonaws.com", "DetachUserPolicy", false, 3001, 8)]
    [InlineData("iam.amazonaws.com", "EnableMFADevice", false, 3001, 10)]
    [InlineData("iam.amazonaws.com", "DeactivateMFADevice", false, 3001, 11)]
    [InlineData("iam.amazonaws.com", "CreateAccessKey", false, 3001, 99)]
    public void Classify_EventName_GivesClassAndActivity(string eventSource, string eventName, bool? readOnly, int classUid, int activityId)
    {
        // When classified
        var activity = OcsfClassifier.Classify(eventSource, eventName, readOnly);

        // Then
        Assert.Equal((classUid, activityId), (activity.Class.Uid, activity.Id));
    }

    [Theory]
    [InlineData("Active", 2, "Enable")]
    [InlineData("Inactive", 5, "Disable")]
    [InlineData(null, 99, "Other")]
    public void Classify_UpdateAccessKey_ByItsStatus(string? status, int activityId, string name)
    {
        // When an access key's status changes
        var activity = OcsfClassifier.Classify("iam.amazonaws.com", "UpdateAccessKey", readOnly: false, status);

        // Then enabling and disabling it are the account's credential enabled or disabled
        Assert.Equal((3001, activityId, name), (activity.Class.Uid, activity.Id, activity.Name));
    }
}
