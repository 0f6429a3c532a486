using System.Net;
using System.Threading.Channels;
using Amazon.S3;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Pipeline.Writing;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Sqs;

public class ReleaseTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0s,10s,1m,5m", new[] { 0, 10, 60, 300 })]
    [InlineData(" 5s , 00:02:00 ", new[] { 5, 120 })]
    [InlineData("1h30m", new[] { 5400 })]
    public void TryParse_DurationLists_Parsed(string text, int[] seconds)
    {
        Assert.True(ReleasePolicy.TryParse(text, out var delays, out var error));
        Assert.Null(error);
        Assert.Equal(seconds.Select(s => TimeSpan.FromSeconds(s)), delays);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("10s,soon", "entry 'soon' is not a duration")]
    [InlineData("13h", "more than SQS's largest visibility timeout")]
    public void TryParse_BadLists_SayWhichEntryAndWhy(string text, string expected)
    {
        Assert.False(ReleasePolicy.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateRelations_BadRetryBackoff_NamesTheSetting()
    {
        var options = new Worker.Options.SqsOptions { QueueUrl = "https://sqs.us-east-1.amazonaws.com/1/q", RetryBackoff = "10s,later" };
        var problem = Assert.Single(options.ValidateRelations());
        Assert.StartsWith("Sqs:RetryBackoff: '10s,later' entry 'later' is not a duration", problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Permanent))]
    public void IsRetryable_TheObjectItselfIsBadOrRefused_False(Exception failure) => Assert.False(ObjectFailures.IsRetryable(failure));

    [Theory]
    [MemberData(nameof(Passing))]
    public void IsRetryable_TheFailureCanPass_True(Exception failure) => Assert.True(ObjectFailures.IsRetryable(failure));

    public static TheoryData<Exception> Permanent() =>
    [
        new CloudTrailFormatException(CloudTrailErrorKind.CorruptGzip, "bad deflate data"),
        new CloudTrailFormatException(CloudTrailErrorKind.NotJson, "not JSON"),
        new CloudTrailFormatException(CloudTrailErrorKind.NoRecords, "no Records"),
        new AmazonS3Exception("Access Denied") { ErrorCode = "AccessDenied", StatusCode = HttpStatusCode.Forbidden },
        new AmazonS3Exception("The specified key does not exist.") { ErrorCode = "NoSuchKey", StatusCode = HttpStatusCode.NotFound },
        new AmazonS3Exception("The specified bucket does not exist") { ErrorCode = "NoSuchBucket", StatusCode = HttpStatusCode.NotFound },
    ];

    public static TheoryData<Exception> Passing() =>
    [
        new AmazonS3Exception("We encountered an internal error") { ErrorCode = "InternalError", StatusCode = HttpStatusCode.InternalServerError },
        new AmazonS3Exception("Please reduce your request rate") { ErrorCode = "SlowDown", StatusCode = HttpStatusCode.ServiceUnavailable },
        new TimeoutException("timed out"),
        new IOException("connection reset"),
        new OutputCommitException("writing output s3://out/x failed: Access Denied", new AmazonS3Exception("Access Denied") { ErrorCode = "AccessDenied" }),
    ];

    [Fact]
    public async Task RunAsync_ReleasesOfTwoVisibilities_OneCallPerVisibilityAndRoomGivenBack()
    {
        // Given 12 released messages: 11 to be visible at once, one after 10 s
        var time = new FakeTimeProvider(s_now);
        var queue = new FakeQueueClient();
        using var registry = new InFlightRegistry(20, new FlushSignal());
        var counters = new ServiceCounters();
        var releaser = new MessageReleaser(queue, registry, new IdleTracker(time), time, counters, NullLogger.Instance);
        var releases = Channel.CreateUnbounded<MessageRelease>();
        Assert.Equal(12, await registry.ReserveAsync(12, CancellationToken.None));
        for (var i = 0; i < 12; i++)
        {
            releases.Writer.TryWrite(new MessageRelease(registry.Add(Message($"m{i}"), 1, 0, s_now), i == 5 ? TimeSpan.FromSeconds(10) : TimeSpan.Zero));
        }

        releases.Writer.Complete();

        // When
        await releaser.RunAsync(releases.Reader, CancellationToken.None);

        // Then each message is made visible with its own visibility, none twice, and forgotten
        var extended = queue.Extended.ToDictionary(e => e.MessageId, e => e.Visibility);
        Assert.Equal(12, extended.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), extended["m5"]);
        Assert.All(extended.Where(e => e.Key != "m5"), e => Assert.Equal(TimeSpan.Zero, e.Value));
        Assert.Equal(0, registry.Count);
        Assert.Equal(20, registry.Available);
        Assert.Equal(12, counters.Released);
    }

    [Fact]
    public async Task ReleaseAsync_RefusedEntry_CountedAndTheIdleWatchWaitsForItsVisibilityToEnd()
    {
        // Given a message visible again in 4 min whose release SQS refuses, and a queue seen empty since
        var time = new FakeTimeProvider(s_now);
        var queue = new FakeQueueClient { FailExtend = m => new EntryFailure(m.MessageId, "ReceiptHandleIsInvalid", "expired") };
        using var registry = new InFlightRegistry(4, new FlushSignal());
        var counters = new ServiceCounters();
        var idle = new IdleTracker(time);
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1"), 1, 0, s_now + TimeSpan.FromMinutes(4));

        // When it is released
        var released = await new MessageReleaser(queue, registry, idle, time, counters, NullLogger.Instance)
            .ReleaseAsync([message], TimeSpan.Zero, CancellationToken.None);

        // Then nothing was released, it is counted as an error, forgotten here, and the queue cannot be idle before it is back
        Assert.Equal(0, released);
        Assert.Equal(1, counters.Errors["SqsRelease"]);
        Assert.Equal(0, registry.Count);
        time.Advance(TimeSpan.FromMinutes(3));
        idle.OnReceived(0);
        Assert.Equal(TimeSpan.Zero, idle.IdleFor);
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        idle.OnReceived(0);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(6), idle.IdleFor);
    }

    [Fact]
    public void IdleFor_MessageReleasedWithBackoff_NotIdleUntilItIsVisibleAndAReceiveCameBackEmpty()
    {
        // Given a queue idle for 30 s
        var time = new FakeTimeProvider(s_now);
        var idle = new IdleTracker(time);
        idle.OnReceived(0);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), idle.IdleFor);

        // When a message is released to come back in 60 s
        idle.OnReleased(TimeSpan.FromSeconds(60));

        // Then the queue is not idle while it is invisible, even with empty receives
        time.Advance(TimeSpan.FromSeconds(59));
        idle.OnReceived(0);
        Assert.Equal(TimeSpan.Zero, idle.IdleFor);

        // Nor once it is visible until a receive after that came back empty; then idle counts from its return
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, idle.IdleFor);
        idle.OnReceived(0);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(11), idle.IdleFor);

        // And a message released again, visible at once, must be received or gone first as well
        idle.OnReleased(TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, idle.IdleFor);
        idle.OnReceived(0);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), idle.IdleFor);
    }

    private static QueueMessage Message(string id) => new(id, "rh-" + id, "{}", 1, null);
}
