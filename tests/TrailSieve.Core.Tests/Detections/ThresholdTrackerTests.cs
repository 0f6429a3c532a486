using TrailSieve.Core.Detections;

namespace TrailSieve.Core.Tests.Detections;

/// <summary>
/// Threshold windows run on eventTime, never on the wall clock, so these tests need no fake clock: the times are the
/// records' eventTimes.
/// </summary>
public sealed class ThresholdTrackerTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ThresholdSpec s_fivePerFiveMinutes = new(5, TimeSpan.FromMinutes(5), ["sourceIPAddress"]);
    private static ulong s_nextId = 1;

    private static ThresholdResult Hit(ThresholdTracker tracker, string group, double minutes, ThresholdSpec? spec = null) =>
        tracker.Observe("d", spec ?? s_fivePerFiveMinutes, group, s_t0.AddMinutes(minutes), s_nextId++);

    [Fact]
    public void Observe_InOrderBurst_FiresOnceAtTheCount()
    {
        // Given a tracker and five hits a minute apart from one address
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);

        // When they arrive in order, then three more
        var outcomes = Enumerable.Range(0, 8).Select(i => Hit(tracker, "198.51.100.1", i * 0.5)).ToList();

        // Then the fifth fires, with the window of its five hits, and the rest of the window stays silent
        Assert.Equal(
            [ThresholdOutcome.Counted, ThresholdOutcome.Counted, ThresholdOutcome.Counted, ThresholdOutcome.Counted, ThresholdOutcome.Fired, ThresholdOutcome.Suppressed, ThresholdOutcome.Suppressed, ThresholdOutcome.Suppressed],
            outcomes.Select(o => o.Outcome));
        Assert.Equal((5, s_t0, s_t0.AddMinutes(2)), (outcomes[4].Count, outcomes[4].WindowStart, outcomes[4].WindowEnd));
    }

    [Fact]
    public void Observe_HitsSpreadWiderThanTheWindow_NeverFire()
    {
        // Given hits every 90 seconds: any five span six minutes
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);

        // When twenty arrive
        var outcomes = Enumerable.Range(0, 20).Select(i => Hit(tracker, "198.51.100.2", i * 1.5).Outcome).ToList();

        // Then none fires
        Assert.All(outcomes, o => Assert.Equal(ThresholdOutcome.Counted, o));
    }

    [Fact]
    public void Observe_ExactlyTheWindowApart_IsOutsideIt()
    {
        // Given five hits whose first and last are exactly five minutes apart (windows are half-open)
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);

        // When they arrive
        var outcomes = new[] { 0, 1, 2, 3, 5.0 }.Select(m => Hit(tracker, "g", m).Outcome).ToList();

        // Then they do not fire; one more inside the window does
        Assert.DoesNotContain(ThresholdOutcome.Fired, outcomes);
        Assert.Equal(ThresholdOutcome.Fired, Hit(tracker, "g", 4.9).Outcome);
    }

    [Fact]
    public void Observe_GroupsAreCountedApart()
    {
        // Given hits alternating between two addresses
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);

        // When each address gets four within the window
        var outcomes = Enumerable.Range(0, 8).Select(i => Hit(tracker, i % 2 == 0 ? "a" : "b", i * 0.1).Outcome).ToList();

        // Then neither fires; a fifth for one fires only that one
        Assert.DoesNotContain(ThresholdOutcome.Fired, outcomes);
        Assert.Equal(ThresholdOutcome.Fired, Hit(tracker, "a", 1).Outcome);
        Assert.Equal(ThresholdOutcome.Counted, Hit(tracker, "c", 1).Outcome);
    }

    [Fact]
    public void Observe_OutOfOrderWithinTheAllowance_FiresWithTheSortedWindow()
    {
        // Given hits of one burst arriving shuffled (CloudTrail files are not sorted, and files overlap)
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        var minutes = new[] { 3.0, 0.5, 4.0, 1.0, 2.0 };

        // When they arrive
        var outcomes = minutes.Select(m => Hit(tracker, "g", m)).ToList();

        // Then the last one completes the window and fires with the earliest and latest eventTimes
        Assert.Equal(ThresholdOutcome.Fired, outcomes[^1].Outcome);
        Assert.Equal((s_t0.AddMinutes(0.5), s_t0.AddMinutes(4)), (outcomes[^1].WindowStart, outcomes[^1].WindowEnd));
        Assert.Equal(1, outcomes.Count(o => o.Outcome == ThresholdOutcome.Fired));
    }

    [Fact]
    public void Observe_LaterThanTheAllowance_IsDroppedAndCounted()
    {
        // Given a tracker with 15 minutes of lateness whose group has seen a hit at 12:30
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        Hit(tracker, "g", 30);

        // When four hits at 12:16 arrive (within the allowance) and five at 12:10 (beyond it)
        var inTime = Enumerable.Range(0, 4).Select(_ => Hit(tracker, "g", 16).Outcome).ToList();
        var late = Enumerable.Range(0, 5).Select(_ => Hit(tracker, "g", 10).Outcome).ToList();

        // Then the late ones are dropped, counted, and cannot complete the window
        Assert.All(inTime, o => Assert.Equal(ThresholdOutcome.Counted, o));
        Assert.All(late, o => Assert.Equal(ThresholdOutcome.Late, o));
        Assert.Equal(5, tracker.LateHits);
        Assert.Equal(ThresholdOutcome.Fired, Hit(tracker, "g", 16.5).Outcome);
    }

    [Fact]
    public void Observe_AnotherGroupIsFarAhead_DoesNotMakeThisGroupLate()
    {
        // Given a tracker that has seen one group's hits a day later (files of another account processed first)
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        for (var i = 0; i < 3; i++)
        {
            Hit(tracker, "203.0.113.9", (24 * 60) + i);
        }

        // When a burst of another group arrives, dated a day earlier
        var outcomes = Enumerable.Range(0, 5).Select(i => Hit(tracker, "198.51.100.7", i * 0.5).Outcome).ToList();

        // Then none of it is late, and the burst fires
        Assert.Equal(0, tracker.LateHits);
        Assert.Equal(ThresholdOutcome.Fired, outcomes[^1]);
    }

    [Fact]
    public void Observe_LateHitCompletesAWindowAfterTheSilence_FiresAtTheWindowsLastHit()
    {
        // Given a group that fired at minute 0, then hits at 5.5, 6, 7 and 8 (four: one short of the count)
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        Assert.Equal(ThresholdOutcome.Fired, new[] { -4.0, -3, -2, -1, 0 }.Select(m => Hit(tracker, "g", m).Outcome).ToList()[^1]);
        Assert.All(new[] { 5.5, 6, 7, 8 }.Select(m => Hit(tracker, "g", m).Outcome), o => Assert.Equal(ThresholdOutcome.Counted, o));

        // When a hit at 4.9 arrives late, inside the first finding's silence but completing the window 4.9 to 8
        var late = Hit(tracker, "g", 4.9);

        // Then that window fires, as it would have in eventTime order (at 8, a full window after the first finding)
        Assert.Equal(ThresholdOutcome.Fired, late.Outcome);
        Assert.Equal((s_t0.AddMinutes(4.9), s_t0.AddMinutes(8)), (late.WindowStart, late.WindowEnd));
    }

    [Fact]
    public void Observe_LateHitsCompleteAWindowJustBeforeAFinding_StaySilent()
    {
        // Given a group that fired at minute 8 on hits 4 to 8
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        Assert.Equal(ThresholdOutcome.Fired, new[] { 4.0, 5, 6, 7, 8 }.Select(m => Hit(tracker, "g", m).Outcome).ToList()[^1]);

        // When earlier hits arrive late, the third and fourth completing windows that end at minutes 5 and 4
        var outcomes = new[] { 0.5, 1, 1.5, 2 }.Select(m => Hit(tracker, "g", m).Outcome).ToList();

        // Then those stay silent: each window ends less than a window before the finding, so one burst raises one
        Assert.Equal([ThresholdOutcome.Counted, ThresholdOutcome.Counted, ThresholdOutcome.Suppressed, ThresholdOutcome.Suppressed], outcomes);
    }

    [Fact]
    public void Observe_ContinuingBurstInReverseOrder_FiresTheSameWindowsAsInOrder()
    {
        // Given a burst every 30 s from minute 0 to minute 12, observed in order by one tracker and in reverse by another
        var minutes = Enumerable.Range(0, 25).Select(i => i * 0.5).ToArray();
        var inOrder = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        var reversed = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);

        // When every hit is observed
        var forward = minutes.Select(m => Hit(inOrder, "g", m)).Where(r => r.Outcome == ThresholdOutcome.Fired).Select(r => r.WindowEnd).ToList();
        var backward = minutes.Reverse().Select(m => Hit(reversed, "g", m)).Where(r => r.Outcome == ThresholdOutcome.Fired).Select(r => r.WindowEnd).ToList();

        // Then both fire at minutes 2, 7 and 12: arrival order does not move the findings
        Assert.Equal([s_t0.AddMinutes(2), s_t0.AddMinutes(7), s_t0.AddMinutes(12)], forward.Order());
        Assert.Equal(forward.Order(), backward.Order());
    }

    [Fact]
    public void Observe_AfterTheSilence_AContinuingBurstFiresAgain()
    {
        // Given a group that fired at minute 2
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        var outcomes = Enumerable.Range(0, 5).Select(i => Hit(tracker, "g", i * 0.5).Outcome).ToList();
        Assert.Equal(ThresholdOutcome.Fired, outcomes[^1]);

        // When hits continue every 30 s for ten more minutes
        var later = Enumerable.Range(5, 20).Select(i => (Minute: i * 0.5, Hit(tracker, "g", i * 0.5).Outcome)).ToList();

        // Then it stays silent until five minutes after the hit that fired, then fires once per window
        Assert.All(later.Where(l => l.Minute < 7), l => Assert.Equal(ThresholdOutcome.Suppressed, l.Outcome));
        Assert.Equal([7.0, 12.0], later.Where(l => l.Outcome == ThresholdOutcome.Fired).Select(l => l.Minute));
    }

    [Fact]
    public void Observe_SameEventIdTwice_CountsOnce()
    {
        // Given a tracker and one record delivered five times (a redelivered object)
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);

        // When the same eventID arrives five times
        var outcomes = Enumerable.Range(0, 5).Select(_ => tracker.Observe("d", s_fivePerFiveMinutes, "g", s_t0, 42).Outcome).ToList();

        // Then it is counted once
        Assert.Equal(ThresholdOutcome.Counted, outcomes[0]);
        Assert.All(outcomes.Skip(1), o => Assert.Equal(ThresholdOutcome.Duplicate, o));
    }

    [Fact]
    public void Observe_ObjectProcessedAgain_TheFiringHitFiresAgainWithTheSameWindow()
    {
        // Given a group that fired on its fifth hit (ids 101 to 105), whose object then failed
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 100);
        var first = Enumerable.Range(0, 5).Select(i => tracker.Observe("d", s_fivePerFiveMinutes, "g", s_t0.AddMinutes(i * 0.5), (ulong)(101 + i))).ToList();
        Assert.Equal(ThresholdOutcome.Fired, first[^1].Outcome);

        // When the same five hits arrive again (the object is retried)
        var again = Enumerable.Range(0, 5).Select(i => tracker.Observe("d", s_fivePerFiveMinutes, "g", s_t0.AddMinutes(i * 0.5), (ulong)(101 + i))).ToList();

        // Then the others are duplicates, and the hit that fired fires again with the same window (at-least-once)
        Assert.All(again.Take(4), r => Assert.Equal(ThresholdOutcome.Duplicate, r.Outcome));
        Assert.Equal(first[^1], again[^1]);
    }

    [Fact]
    public void Observe_MoreGroupsThanTheMaximum_EvictsTheLeastRecentAndCountsIt()
    {
        // Given room for two groups, each with live hits
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 2);
        for (var i = 0; i < 4; i++)
        {
            Hit(tracker, "a", i * 0.1);
            Hit(tracker, "b", i * 0.1);
        }

        // When a third group arrives, then "a" hits again
        Hit(tracker, "c", 1);
        var a = Hit(tracker, "a", 1);

        // Then "a" (least recent) was evicted and starts over, evicting "b"; both evictions are counted
        Assert.Equal(ThresholdOutcome.Counted, a.Outcome);
        Assert.Equal(2, tracker.Evictions);
        Assert.Equal(2, tracker.GroupCount);
    }

    [Fact]
    public void Observe_ExpiredGroups_MakeRoomWithoutCountingAsEvictions()
    {
        // Given room for two groups whose hits are long past
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 2);
        Hit(tracker, "a", 0);
        Hit(tracker, "b", 0);

        // When a group arrives an hour later
        Hit(tracker, "c", 60);

        // Then the expired group made room and nothing was evicted with live state
        Assert.Equal(0, tracker.Evictions);
        Assert.Equal(2, tracker.GroupCount);
    }

    [Fact]
    public void Observe_CountOfOne_FiresOnceThenStaysSilentForTheWindow()
    {
        // Given a count of one: a deduplicating detection
        var spec = new ThresholdSpec(1, TimeSpan.FromMinutes(10), []);
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 10);

        // When hits arrive at 0, 5 and 11 minutes
        var outcomes = new[] { 0.0, 5, 11 }.Select(m => Hit(tracker, string.Empty, m, spec).Outcome).ToList();

        // Then the first and third fire
        Assert.Equal([ThresholdOutcome.Fired, ThresholdOutcome.Suppressed, ThresholdOutcome.Fired], outcomes);
    }

    [Fact]
    public async Task Observe_ParallelWorkers_FireExactlyOncePerGroup()
    {
        // Given 200 groups, each getting 5 hits inside one window, delivered by 8 threads at once
        var tracker = new ThresholdTracker(TimeSpan.FromMinutes(15), 1000);
        var work = Enumerable.Range(0, 200).SelectMany(g => Enumerable.Range(0, 5).Select(i => (Group: $"g{g}", Minute: i * 0.1, Id: (ulong)((g * 10) + i + 1)))).ToArray();
        Random.Shared.Shuffle(work);
        var fired = 0;

        // When they are observed in parallel
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (hit, _) =>
        {
            if (tracker.Observe("d", s_fivePerFiveMinutes, hit.Group, s_t0.AddMinutes(hit.Minute), hit.Id).Outcome == ThresholdOutcome.Fired)
            {
                Interlocked.Increment(ref fired);
            }

            return ValueTask.CompletedTask;
        });

        // Then every group fired exactly once
        Assert.Equal(200, fired);
    }
}
