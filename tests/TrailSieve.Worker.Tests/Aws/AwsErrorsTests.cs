using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using TrailSieve.Analytics.Storage;
using TrailSieve.Worker.Aws;

namespace TrailSieve.Worker.Tests.Aws;

/// <summary>The one classifier of AWS failures, fed the exception types the SDK really throws.</summary>
public sealed class AwsErrorsTests
{
    public static TheoryData<Exception> Transient => new()
    {
        S3("SlowDown", HttpStatusCode.ServiceUnavailable),
        S3("InternalError", HttpStatusCode.InternalServerError),
        S3(null, HttpStatusCode.BadGateway),
        S3("RequestTimeout", HttpStatusCode.BadRequest),
        Sqs("ThrottlingException", HttpStatusCode.BadRequest),
        Sqs("RequestThrottled", HttpStatusCode.BadRequest),
        Sqs(null, HttpStatusCode.TooManyRequests),
        new AmazonSQSException("no code", new HttpRequestException("reset"), ErrorType.Unknown, null, "r", 0),
        new AmazonClientException("connection refused", new HttpRequestException("connection refused")),
        new AmazonClientException("timed out", new TimeoutException()),
        new AmazonClientException("socket", new IOException("broken pipe")),
        new HttpRequestException("connection refused"),
        new IOException("the response ended early"),
        new TimeoutException(),
    };

    public static TheoryData<Exception> NotTransient => new()
    {
        S3("AccessDenied", HttpStatusCode.Forbidden),
        S3("NoSuchKey", HttpStatusCode.NotFound),
        S3("NoSuchBucket", HttpStatusCode.NotFound),
        S3("InvalidArgument", HttpStatusCode.BadRequest),
        new QueueDoesNotExistException("The specified queue does not exist."),
        new AmazonClientException("No RegionEndpoint or ServiceURL configured"),
        new ParameterNotFoundException("parameter /trailsieve/rules not found"),
        new InvalidOperationException("a bug"),
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void IsTransient_ThrottlingServerErrorsAndBrokenConnections_True(Exception exception) =>
        Assert.True(AwsErrors.IsTransient(exception));

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void IsTransient_RefusalsMissingThingsAndClientErrors_False(Exception exception) =>
        Assert.False(AwsErrors.IsTransient(exception));

    [Theory]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden)]
    [InlineData("AccessDeniedException", HttpStatusCode.BadRequest)]
    [InlineData("InvalidClientTokenId", HttpStatusCode.BadRequest)]
    [InlineData("SignatureDoesNotMatch", HttpStatusCode.Forbidden)]
    [InlineData("KMS.DisabledException", HttpStatusCode.BadRequest)]
    [InlineData(null, HttpStatusCode.Forbidden)]
    public void IsAccessDenied_AccessCodeOr403_TrueAndFatalForTheQueue(string? code, HttpStatusCode status)
    {
        // Given a refusal, as S3 or SQS gives it
        var exception = Sqs(code, status);

        // Then it is a refusal, fatal for the service, and never retried
        Assert.True(AwsErrors.IsAccessDenied(exception));
        Assert.True(AwsErrors.IsAccessDenied(S3(code, status)));
        Assert.True(AwsErrors.IsFatalQueueError(exception));
        Assert.False(AwsErrors.IsTransient(exception));
    }

    [Theory]
    [MemberData(nameof(Transient))]
    public void IsAccessDenied_TransientFailures_False(Exception exception) =>
        Assert.False(AwsErrors.IsAccessDenied(exception));

    [Fact]
    public void IsFatalQueueError_QueueMissing_True()
    {
        Assert.True(AwsErrors.IsFatalQueueError(new QueueDoesNotExistException("The specified queue does not exist.")));
        Assert.True(AwsErrors.IsFatalQueueError(Sqs("AWS.SimpleQueueService.NonExistentQueue", HttpStatusCode.BadRequest)));
    }

    [Fact]
    public void IsFatalQueueError_ThrottlingOrBrokenConnection_False()
    {
        Assert.False(AwsErrors.IsFatalQueueError(Sqs("ThrottlingException", HttpStatusCode.BadRequest)));
        Assert.False(AwsErrors.IsFatalQueueError(new AmazonClientException("refused", new HttpRequestException("refused"))));
    }

    [Theory]
    [InlineData("NoSuchKey", HttpStatusCode.NotFound, true)]
    [InlineData(null, HttpStatusCode.NotFound, true)]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, false)]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, false)]
    public void IsMissingObject_NoSuchKeyOrA404ThatIsNotTheBucket(string? code, HttpStatusCode status, bool missing)
    {
        Assert.Equal(missing, AwsErrors.IsMissingObject(S3(code, status)));
        Assert.Equal(missing ? StoreFailure.ObjectMissing : StoreFailure.Unavailable, AwsErrors.StoreFailureOf(S3(code, status)));
    }

    [Fact]
    public void IsMissingObject_NotAnS3Failure_False()
    {
        Assert.False(AwsErrors.IsMissingObject(Sqs("NoSuchKey", HttpStatusCode.NotFound)));
        Assert.Equal(StoreFailure.Unavailable, AwsErrors.StoreFailureOf(new HttpRequestException("refused")));
    }

    [Theory]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, true)]
    [InlineData("NoSuchKey", HttpStatusCode.NotFound, false)]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, false)]
    public void IsMissingBucket_OnlyNoSuchBucket(string code, HttpStatusCode status, bool missing) =>
        Assert.Equal(missing, AwsErrors.IsMissingBucket(S3(code, status)));

    [Fact]
    public void IsAwsFailure_SdkAndTransportExceptions_TrueOthersFalse()
    {
        Assert.True(AwsErrors.IsAwsFailure(S3("AccessDenied", HttpStatusCode.Forbidden)));
        Assert.True(AwsErrors.IsAwsFailure(new QueueDoesNotExistException("gone")));
        Assert.True(AwsErrors.IsAwsFailure(new AmazonClientException("No RegionEndpoint or ServiceURL configured")));
        Assert.True(AwsErrors.IsAwsFailure(new HttpRequestException("refused")));
        Assert.True(AwsErrors.IsAwsFailure(new TimeoutException()));
        Assert.False(AwsErrors.IsAwsFailure(new IOException("disk full")));
        Assert.False(AwsErrors.IsAwsFailure(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void Explain_AccessDenied_SaysSoWithTheCode() =>
        Assert.Equal("access denied (AccessDenied): Access Denied", AwsErrors.Explain(S3("AccessDenied", HttpStatusCode.Forbidden, "Access Denied")));

    [Fact]
    public void Explain_TransientThatOutlivedTheRetries_SaysStillFailing() =>
        Assert.Equal("still failing after retries (SlowDown): Please reduce your request rate.", AwsErrors.Explain(S3("SlowDown", HttpStatusCode.ServiceUnavailable, "Please reduce your request rate.")));

    [Fact]
    public void Explain_OtherServiceError_CodeAndMessage() =>
        Assert.Equal("NoSuchBucket: The specified bucket does not exist", AwsErrors.Explain(S3("NoSuchBucket", HttpStatusCode.NotFound, "The specified bucket does not exist")));

    [Fact]
    public void Explain_ServiceErrorWithoutCode_TheStatusNumber() =>
        Assert.Equal("access denied (403): Forbidden", AwsErrors.Explain(S3(null, HttpStatusCode.Forbidden, "Forbidden")));

    [Fact]
    public void Explain_ConnectionRefusedInsideTheClientException_UnreachableWithTheInnerReason() =>
        Assert.Equal(
            "AWS cannot be reached (still failing after retries): An error occurred (Connection refused)",
            AwsErrors.Explain(new AmazonClientException("An error occurred", new HttpRequestException("Connection refused"))));

    [Fact]
    public void Explain_ClientErrorThatIsNotTransient_PointsAtCredentialsRegionOrEndpoint() =>
        Assert.Equal(
            "AWS client error (credentials, region or endpoint): No RegionEndpoint or ServiceURL configured",
            AwsErrors.Explain(new AmazonClientException("No RegionEndpoint or ServiceURL configured")));

    [Fact]
    public void Explain_BareTransportFailure_Unreachable()
    {
        Assert.Equal("AWS cannot be reached (still failing after retries): Connection refused", AwsErrors.Explain(new HttpRequestException("Connection refused")));
        Assert.StartsWith("AWS cannot be reached (still failing after retries): ", AwsErrors.Explain(new TimeoutException("timed out")), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NotAnAwsFailure_ItsMessage() =>
        Assert.Equal("disk full", AwsErrors.Explain(new IOException("disk full")));

    private static AmazonS3Exception S3(string? code, HttpStatusCode status, string message = "from the test") =>
        new(message, ErrorType.Sender, code, "request-1", status);

    private static AmazonSQSException Sqs(string? code, HttpStatusCode status) =>
        new("from the test", ErrorType.Sender, code, "request-1", status);
}
