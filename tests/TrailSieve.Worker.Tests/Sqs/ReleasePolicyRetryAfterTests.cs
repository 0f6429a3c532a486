using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Sqs;

/// <summary>A failure that says when a retry can succeed (a delivery-ledger claim held until its lease ends) waits at least that long.</summary>
public class ReleasePolicyRetryAfterTests
{
    private readonly ReleasePolicy _policy = new([TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)]);

    [Fact]
    public void DelayFor_RetryAfterLongerThanTheBackoff_WaitsTheRetryAfter()
    {
        // Given a held object's failure: retryable, its claim running out in 4 minutes
        var failure = Failure(retryable: true, TimeSpan.FromMinutes(4));

        // Then its first receive is released for 4 minutes, not at once
        Assert.Equal(TimeSpan.FromMinutes(4), _policy.DelayFor(failure, receiveCount: 1));
    }

    [Fact]
    public void DelayFor_RetryAfterShorterThanTheBackoffOrNotRetryable_TheBackoffDecides()
    {
        // Given a short retry-after on the third receive, and a non-retryable failure carrying one
        var shortWait = Failure(retryable: true, TimeSpan.FromSeconds(5));
        var poison = Failure(retryable: false, TimeSpan.FromMinutes(4));

        // Then the backoff's minute stands, and poison is released at once
        Assert.Equal(TimeSpan.FromMinutes(1), _policy.DelayFor(shortWait, receiveCount: 3));
        Assert.Equal(TimeSpan.Zero, _policy.DelayFor(poison, receiveCount: 1));
    }

    private static ObjectOutcome Failure(bool retryable, TimeSpan retryAfter) =>
        new(PipelineHarness.Object("a.json.gz", []), ObjectStatus.Failed, 0, 0, 0, 0, 0, TimeSpan.Zero, "ObjectClaimedException", "held", retryable, RetryAfter: retryAfter);
}
