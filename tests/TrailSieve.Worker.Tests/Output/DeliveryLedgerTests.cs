using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Output;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Output;

/// <summary>The ledger's claims against a store with S3's conditional-write semantics (fauxqs ignores the conditions).</summary>
public class DeliveryLedgerTests
{
    private const string Bucket = "trail";
    private const string Key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/a.json.gz";
    private const string ETag = "\"9b2cf535f27731c974343645a3985328\"";
    private const string Partition = "111122223333/us-east-1/2026-01-02";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new();
    private readonly HashSet<string> _durable = new(StringComparer.Ordinal);
    private readonly ConditionalLedgerStore _store;
    private readonly PipelineCounters _counters = new();

    public DeliveryLedgerTests() => _store = new ConditionalLedgerStore(_time, k => _durable.Contains(k));

    [Fact]
    public async Task ClaimAsync_FirstDelivery_OneCreateNamingTheBatch()
    {
        // Given a ledger with no marker for the object
        var ledger = Ledger();

        // When the object is claimed for batch B1
        var claim = await ledger.ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);

        // Then it is ours, with one conditional create besides the two of the probe (once per ledger), and the marker names B1
        Assert.False(claim.Delivered);
        Assert.Empty(claim.Durable);
        Assert.Equal((3, 0, 0, 0), (_store.Creates, _store.Replaces, _store.Reads, _store.Heads));
        Assert.Equal("out/_ledger/trail/" + Key + "/9b2cf535f27731c974343645a3985328", claim.MarkerKey);
        Assert.Equal("out/B1", _store.Marker(claim.MarkerKey).Batches[Partition]);
        Assert.Equal(1, _counters.LedgerClaims["new"]);

        // And the next object costs one request
        await ledger.ClaimAsync(Bucket, Key + ".2", ETag, Batches("out/B1"), CancellationToken.None);
        Assert.Equal((4, 0, 0, 0), (_store.Creates, _store.Replaces, _store.Reads, _store.Heads));
    }

    [Fact]
    public async Task ClaimAsync_StoreIgnoresConditions_ReadsFirstAndStillStopsTheRedelivery()
    {
        // Given a store that ignores If-None-Match (the emulator), and an object delivered in B1
        _store.EnforceConditions = false;
        await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);
        _durable.Add("out/B1");

        // When the object comes again
        var claim = await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B2"), CancellationToken.None);

        // Then the probe found the conditions ignored, the marker was read before any write, and it is delivered
        Assert.True(claim.Delivered);
        Assert.Equal("out/B1", _store.Marker(claim.MarkerKey).Batches[Partition]);
    }

    [Fact]
    public async Task ClaimAsync_RedeliveryWhoseBatchIsDurable_AlreadyDelivered()
    {
        // Given an object claimed for B1, and B1 committed
        await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);
        _durable.Add("out/B1");

        // When it is delivered again (to another worker, whose next batch is B2)
        var claim = await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B2"), CancellationToken.None);

        // Then it is already delivered, in B1, and the marker still names B1
        Assert.True(claim.Delivered);
        Assert.Equal("out/B1", claim.Batches[Partition]);
        Assert.Equal("out/B1", _store.Marker(claim.MarkerKey).Batches[Partition]);
        Assert.Equal(1, _counters.LedgerClaims["delivered"]);
    }

    [Fact]
    public async Task ClaimAsync_OtherVersionOfTheSameKey_IsAnotherObject()
    {
        // Given the object at one ETag delivered in B1
        await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);
        _durable.Add("out/B1");

        // When the key was overwritten with other content (another ETag) and announced
        var claim = await Ledger().ClaimAsync(Bucket, Key, "\"0123abcd\"", Batches("out/B2"), CancellationToken.None);

        // Then the new content is claimed and written, not skipped
        Assert.False(claim.Delivered);
        Assert.Equal("out/B2", claim.Batches[Partition]);
    }

    [Fact]
    public async Task ClaimAsync_RedeliveryWhoseBatchNeverAppeared_HeldUntilTheLeaseThenTakenOver()
    {
        // Given an object claimed for B1 by a worker that died before committing it
        await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);

        // When it comes back within the lease, then after it
        _time.Advance(Lease - TimeSpan.FromSeconds(1));
        var held = await Assert.ThrowsAsync<ObjectClaimedException>(() => Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B2"), CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        var claim = await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B3"), CancellationToken.None);

        // Then within the lease it is held (retryable, naming the object and the batch), after it taken over for B3
        Assert.Contains("s3://trail/" + Key, held.Message, StringComparison.Ordinal);
        Assert.Contains("ledger://out/B1", held.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(held);
        Assert.Equal(TimeSpan.FromSeconds(2), held.RetryAfter);
        Assert.False(claim.Delivered);
        Assert.Equal("out/B3", _store.Marker(claim.MarkerKey).Batches[Partition]);
        Assert.Equal((1L, 1L), (_counters.LedgerClaims["held"], _counters.LedgerClaims["takeover"]));
    }

    [Fact]
    public async Task ClaimAsync_PartlyDurable_TakeoverKeepsTheDurablePartition()
    {
        // Given an object of two days claimed for B1 (day 1) and B2 (day 2), of which only B1 was committed
        var days = new Dictionary<string, string>(StringComparer.Ordinal) { [Partition] = "out/B1", ["111122223333/us-east-1/2026-01-03"] = "out/B2" };
        await Ledger().ClaimAsync(Bucket, Key, ETag, days, CancellationToken.None);
        _durable.Add("out/B1");
        _time.Advance(Lease);

        // When it is redelivered after the lease, to batches B3 and B4
        var again = new Dictionary<string, string>(StringComparer.Ordinal) { [Partition] = "out/B3", ["111122223333/us-east-1/2026-01-03"] = "out/B4" };
        var claim = await Ledger().ClaimAsync(Bucket, Key, ETag, again, CancellationToken.None);

        // Then only day 2 is to be written (to B4); the marker keeps B1 for day 1
        Assert.False(claim.Delivered);
        Assert.Equal([Partition], claim.Durable);
        var marker = _store.Marker(claim.MarkerKey);
        Assert.Equal("out/B1", marker.Batches[Partition]);
        Assert.Equal("out/B4", marker.Batches["111122223333/us-east-1/2026-01-03"]);
    }

    [Fact]
    public async Task ClaimAsync_TwoWritersRace_OneClaimsTheOtherIsHeld()
    {
        // Given two workers claiming the same object, the rival's create landing just before ours
        var rival = Ledger();
        Task<LedgerClaim>? rivalClaim = null;
        var started = false;
        _store.BeforeWrite = _ =>
        {
            if (!started)
            {
                started = true;
                rivalClaim = rival.ClaimAsync(Bucket, Key, ETag, Batches("out/R1"), CancellationToken.None);
            }
        };

        // When we claim it
        var ours = Assert.ThrowsAsync<ObjectClaimedException>(() => Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None));

        // Then the rival holds it and we lost the race: retryable, and the marker names only the rival's batch
        var held = await ours;
        var won = await rivalClaim!;
        Assert.False(won.Delivered);
        Assert.Equal("out/R1", _store.Marker(won.MarkerKey).Batches[Partition]);
        Assert.Contains("not durable yet", held.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimAsync_TwoTakeoversRace_OnlyOneWins()
    {
        // Given a stale claim (its worker died), and two workers taking it over at once, the rival first
        await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var rival = Ledger();
        Task<LedgerClaim>? rivalClaim = null;
        var started = false;
        _store.BeforeWrite = _ =>
        {
            if (_store.Replaces == 1 && !started)
            {
                started = true;
                rivalClaim = rival.ClaimAsync(Bucket, Key, ETag, Batches("out/R2"), CancellationToken.None);
            }
        };

        // When we take it over
        var ours = Assert.ThrowsAsync<ObjectClaimedException>(() => Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B2"), CancellationToken.None));

        // Then our replace (If-Match on the stale ETag) fails, and the rival's fresh claim holds us off
        await ours;
        var won = await rivalClaim!;
        Assert.Equal("out/R2", _store.Marker(won.MarkerKey).Batches[Partition]);
        Assert.Equal(1, _counters.LedgerClaims["takeover"]);
    }

    [Fact]
    public async Task ClaimAsync_OwnCreateAnsweredAsLost_RecognisedAsOurs()
    {
        // Given a create that lands but answers 412 (the retry of a request whose first answer was lost)
        _store.LoseNextCreateAnswer = true;

        // When the object is claimed
        var claim = await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);

        // Then the marker's token is ours: claimed, not "held by another worker"
        Assert.False(claim.Delivered);
        Assert.NotNull(claim.MarkerETag);
        Assert.Equal("out/B1", claim.Batches[Partition]);
    }

    [Fact]
    public async Task ClaimAsync_OwnTakeoverAnsweredAsLost_RecognisedAsOurs()
    {
        // Given a stale claim, and a takeover whose replace lands but answers 412
        await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);
        _time.Advance(Lease);
        _store.LoseNextReplaceAnswer = true;

        // When the object is claimed
        var claim = await Ledger().ClaimAsync(Bucket, Key, ETag, Batches("out/B2"), CancellationToken.None);

        // Then it is ours (the re-read finds our token), not held off by our own fresh marker
        Assert.False(claim.Delivered);
        Assert.Equal("out/B2", _store.Marker(claim.MarkerKey).Batches[Partition]);
    }

    [Fact]
    public async Task RepointAsync_OwnClaim_MarkerNamesTheNewBatch()
    {
        // Given our claim for B1
        var ledger = Ledger();
        var claim = await ledger.ClaimAsync(Bucket, Key, ETag, Batches("out/B1"), CancellationToken.None);

        // When its records go to B2 instead
        var moved = await ledger.RepointAsync(claim, Batches("out/B2"), CancellationToken.None);

        // Then the marker names B2 and the claim carries the marker's new ETag
        Assert.Equal("out/B2", _store.Marker(claim.MarkerKey).Batches[Partition]);
        Assert.Equal(_store.Markers[claim.MarkerKey].ETag, moved.MarkerETag);
    }

    [Fact]
    public void MarkerKey_SourceKeyTooLongForS3_NamedByItsHash()
    {
        // Given a source key that would make the marker key longer than S3's 1024 bytes
        var key = new string('k', 1000);

        // When its marker key is made
        var marker = Ledger().MarkerKey(Bucket, key, ETag);

        // Then it fits, and is stable
        Assert.True(marker.Length <= 1024);
        Assert.StartsWith("out/_ledger/trail/sha256/", marker, StringComparison.Ordinal);
        Assert.Equal(marker, Ledger().MarkerKey(Bucket, key, ETag));
    }

    private DeliveryLedger Ledger() => new(_store, "out/", Lease, _counters, _time, NullLogger.Instance);

    private static Dictionary<string, string> Batches(string key) => new(StringComparer.Ordinal) { [Partition] = key };
}
