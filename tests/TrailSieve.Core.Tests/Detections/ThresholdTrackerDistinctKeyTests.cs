using TrailSieve.Core.Detections;

namespace TrailSieve.Core.Tests.Detections;

/// <summary>
/// Windows that count distinct keys among a group's hits, as Sigma's value_count (keys: a field's values) and temporal
/// (keys: the referenced rules) correlations need. Times are eventTimes, as in <see cref="ThresholdTrackerTests"/>.
/// </summary>
public sealed class ThresholdTrackerDistinctKeyTests
{
    private const ulong Alice = 1;
    private const ulong Bob = 2;
    private const ulong Carol = 3;
    private const ulong Dave = 4;

    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ThresholdSpec s_threeUsersPerFiveMinutes = new(3, TimeSpan.FromMinutes(5), ["sourceIPAddress"]);
    private static ulong s_nextId;

    private static ThresholdResult Hit(ThresholdTracker tracker, double minutes, ulong key, string group = "198.51.100.1", ThresholdSpec? spec = null) =>
        tracker.Observe("d", spec ?? s_threeUsersPerFiveMinutes, group, s_t0.AddMinutes(minutes), Interlocked.Increment(ref s_nextId), key);

    private static ThresholdTracker NewTracker() => new(TimeSpan.FromMinutes(15), 100);

    [Fact]
    public void Observe_ThreeDistinctKeysWithinTheWindow_Fires()
    {
        // Given three users failing to log in from one address within five minutes
        var tracker = NewTracker();

        // When their hits arrive
        var results = new[] { (0.0, Alice), (1, Bob), (2, Carol) }.Select(h => Hit(tracker, h.Item1, h.Item2)).ToList();

        // Then the third user's hit fires, with three keys and the window of the three hits
        Assert.Equal([ThresholdOutcome.Counted, ThresholdOutcome.Counted, ThresholdOutcome.Fired], results.Select(r => r.Outcome));
        Assert.Equal((3, s_t0, s_t0.AddMinutes(2)), (results[2].Count, results[2].WindowStart, results[2].WindowEnd));
    }

    [Fact]
    public void Observe_ThreeHitsOfTwoKeys_DoNotFire()
    {
        // Given a count of three distinct users
        var tracker = NewTracker();

        // When three hits of two users arrive within the window
        var outcomes = new[] { (0.0, Alice), (1, Bob), (2, Alice) }.Select(h => Hit(tracker, h.Item1, h.Item2).Outcome).ToList();

        // Then none fires: three hits, two keys
        Assert.All(outcomes, o => Assert.Equal(ThresholdOutcome.Counted, o));
    }

    [Fact]
    public void Observe_SameKeyRepeated_CountsOnce()
    {
        // Given Alice, then Bob three times: four hits, two keys
        var tracker = NewTracker();
        var outcomes = new[] { (0.0, Alice), (1, Bob), (1.5, Bob), (1.8, Bob) }.Select(h => Hit(tracker, h.Item1, h.Item2).Outcome).ToList();

        // When Carol's hit arrives
        var carol = Hit(tracker, 2, Carol);

        // Then only Carol's fires, counting three keys (not five hits) in the window from Alice's hit to hers
        Assert.All(outcomes, o => Assert.Equal(ThresholdOutcome.Counted, o));
        Assert.Equal((ThresholdOutcome.Fired, 3, s_t0, s_t0.AddMinutes(2)), (carol.Outcome, carol.Count, carol.WindowStart, carol.WindowEnd));
    }

    [Fact]
    public void Observe_LaterHitOfAKeyCompletesAWindow_Fires()
    {
        // Given Alice at minute 0, then Bob and Carol more than five minutes later
        var tracker = NewTracker();
        var outcomes = new[] { (0.0, Alice), (5, Bob), (5.5, Carol) }.Select(h => Hit(tracker, h.Item1, h.Item2).Outcome).ToList();

        // When Alice hits again at minute 6
        var again = Hit(tracker, 6, Alice);

        // Then her second hit, not her first, brings the window of Bob and Carol to three keys
        Assert.All(outcomes, o => Assert.Equal(ThresholdOutcome.Counted, o));
        Assert.Equal((ThresholdOutcome.Fired, 3, s_t0.AddMinutes(5), s_t0.AddMinutes(6)), (again.Outcome, again.Count, again.WindowStart, again.WindowEnd));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    public void Observe_EarlierHitOfAKeyArrivesLate_CompletesTheWindowInThePast(double aliceMinute)
    {
        // Given Bob at minute 1 and Carol at 2, then Alice at minute 10 (too far from them)
        var tracker = NewTracker();
        var outcomes = new[] { (1.0, Bob), (2, Carol), (10, Alice) }.Select(h => Hit(tracker, h.Item1, h.Item2).Outcome).ToList();

        // When an earlier hit of Alice's arrives late (within the allowance), before or between theirs
        var late = Hit(tracker, aliceMinute, Alice);

        // Then it completes the window of the three, which fires at its last hit (Carol's), not at the new hit
        Assert.All(outcomes, o => Assert.Equal(ThresholdOutcome.Counted, o));
        Assert.Equal(
            (ThresholdOutcome.Fired, 3, s_t0.AddMinutes(Math.Min(aliceMinute, 1)), s_t0.AddMinutes(2)),
            (late.Outcome, late.Count, late.WindowStart, late.WindowEnd));
    }

    [Fact]
    public void Observe_LateHitCompletesALaterWindow_FiresTheShortestWindowAsInOrder()
    {
        // Given a finding at minute 0 (Alice, Bob, Carol), then Carol at 0.8 and 3 and Bob at 5.5: two users in any
        // window since
        var tracker = NewTracker();
        Assert.Equal(ThresholdOutcome.Fired, new[] { (-2.0, Alice), (-1, Bob), (0, Carol) }.Select(h => Hit(tracker, h.Item1, h.Item2).Outcome).ToList()[^1]);
        var outcomes = new[] { (0.8, Carol), (3, Carol), (5.5, Bob) }.Select(h => Hit(tracker, h.Item1, h.Item2).Outcome).ToList();

        // When Alice's hit at minute 4 arrives late
        var late = Hit(tracker, 4, Alice);

        // Then it completes the window ending at Bob's 5.5, a full window after the finding, which fires as it would in
        // eventTime order: from Carol's last hit before it (not her 0.8, also within five minutes), the shortest window
        // that reaches three users
        Assert.Equal([ThresholdOutcome.Suppressed, ThresholdOutcome.Counted, ThresholdOutcome.Counted], outcomes);
        Assert.Equal((ThresholdOutcome.Fired, 3, s_t0.AddMinutes(3), s_t0.AddMinutes(5.5)), (late.Outcome, late.Count, late.WindowStart, late.WindowEnd));
    }

    [Fact]
    public void Observe_RepeatOfTheFirstKeyArrivesAfterTheFinding_StaysSilentAndKeepsTheFinding()
    {
        // Given a finding on Alice at 0, Bob at 1 and Carol at 2
        var tracker = NewTracker();
        var fired = new[] { (0.0, Alice), (1, Bob), (2, Carol) }.Select(h => Hit(tracker, h.Item1, h.Item2)).ToList()[^1];

        // When another hit of Alice's at 0.5 arrives late (in eventTime order, the window would have started there)
        var late = Hit(tracker, 0.5, Alice);

        // Then the window it completes ends at the finding: silent, and the finding stands as raised
        Assert.Equal((ThresholdOutcome.Fired, s_t0), (fired.Outcome, fired.WindowStart));
        Assert.Equal(ThresholdOutcome.Suppressed, late.Outcome);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2 })]
    [InlineData(new[] { 2, 1, 0 })]
    [InlineData(new[] { 1, 2, 0 })]
    public void Observe_TemporalRulesInAnyOrder_FireWhenAllHaveHit(int[] rules)
    {
        // Given a temporal correlation of three rules (keys 0, 1 and 2) within ten minutes, for one user
        var spec = new ThresholdSpec(3, TimeSpan.FromMinutes(10), ["userIdentity.arn"]);
        var tracker = NewTracker();

        // When the first two rules hit again and again, then the third
        var first = rules.Take(2).SelectMany(r => new[] { r, r }).Select((r, i) => Hit(tracker, i, (ulong)r, "arn:user", spec).Outcome).ToList();
        var last = Hit(tracker, 5, (ulong)rules[2], "arn:user", spec);

        // Then only the third rule's hit fires, counting the three rules, with the window back to the other rules' last hits
        Assert.All(first, o => Assert.Equal(ThresholdOutcome.Counted, o));
        Assert.Equal((ThresholdOutcome.Fired, 3, s_t0.AddMinutes(1), s_t0.AddMinutes(5)), (last.Outcome, last.Count, last.WindowStart, last.WindowEnd));
    }

    [Fact]
    public void Observe_TemporalRulesFurtherApartThanTheWindow_FireOnlyWhenARuleHitsAgain()
    {
        // Given three rules hitting at minutes 0, 6 and 11: more than ten minutes from first to last
        var spec = new ThresholdSpec(3, TimeSpan.FromMinutes(10), ["userIdentity.arn"]);
        var tracker = NewTracker();
        var outcomes = new (double, ulong)[] { (0, 0), (6, 1), (11, 2) }.Select(h => Hit(tracker, h.Item1, h.Item2, "arn:user", spec).Outcome).ToList();

        // When the first rule hits again at minute 12
        var again = Hit(tracker, 12, 0, "arn:user", spec);

        // Then that fires, with the window from the second rule's hit
        Assert.All(outcomes, o => Assert.Equal(ThresholdOutcome.Counted, o));
        Assert.Equal((ThresholdOutcome.Fired, 3, s_t0.AddMinutes(6), s_t0.AddMinutes(12)), (again.Outcome, again.Count, again.WindowStart, again.WindowEnd));
    }

    [Fact]
    public void Observe_KeysKeepComing_FiresOncePerWindow()
    {
        // Given three users taking turns every 30 s from minute 0 to minute 12
        var tracker = NewTracker();

        // When every hit arrives in order
        var results = Enumerable.Range(0, 25).Select(i => (Minute: i * 0.5, Hit(tracker, i * 0.5, (ulong)(i % 3)).Outcome)).ToList();

        // Then the first three keys fire at minute 1, the group stays silent for five minutes after each finding, and fires again at 6 and 11
        Assert.Equal([1.0, 6, 11], results.Where(r => r.Outcome == ThresholdOutcome.Fired).Select(r => r.Minute));
        Assert.All(results.Take(2), r => Assert.Equal(ThresholdOutcome.Counted, r.Outcome));
        Assert.All(results.Skip(2).Where(r => r.Outcome != ThresholdOutcome.Fired), r => Assert.Equal(ThresholdOutcome.Suppressed, r.Outcome));
    }

    [Fact]
    public void Observe_ShuffledHits_FireTheSameWindowsAsInOrder()
    {
        // Given hits of two detections and two groups, each burst with one window that reaches its count (so any
        // arrival order must fire exactly it): repeats inside a window, a repeat completing one, and a near miss
        var temporal = new ThresholdSpec(4, TimeSpan.FromMinutes(10), ["userIdentity.arn"]);
        var hits = new (string Detection, ThresholdSpec Spec, string Group, double Minute, ulong Key)[]
        {
            ("d", s_threeUsersPerFiveMinutes, "g", 0, Alice), ("d", s_threeUsersPerFiveMinutes, "g", 1, Bob),
            ("d", s_threeUsersPerFiveMinutes, "g", 1.5, Bob), ("d", s_threeUsersPerFiveMinutes, "g", 2, Carol),
            ("d", s_threeUsersPerFiveMinutes, "h", 0.5, Alice), ("d", s_threeUsersPerFiveMinutes, "h", 1, Carol),
            ("d", s_threeUsersPerFiveMinutes, "h", 4, Dave),
            ("d", s_threeUsersPerFiveMinutes, "g", 10, Alice), ("d", s_threeUsersPerFiveMinutes, "g", 15, Bob),
            ("d", s_threeUsersPerFiveMinutes, "g", 15.5, Carol), ("d", s_threeUsersPerFiveMinutes, "g", 16, Alice),
            ("t", temporal, "g", 40, 0), ("t", temporal, "g", 41, 1), ("t", temporal, "g", 44, 1),
            ("t", temporal, "g", 45, 2), ("t", temporal, "g", 49.5, 3),
            ("d", s_threeUsersPerFiveMinutes, "g", 60, Alice), ("d", s_threeUsersPerFiveMinutes, "g", 61, Bob),
            ("d", s_threeUsersPerFiveMinutes, "g", 64, Bob), ("d", s_threeUsersPerFiveMinutes, "g", 65, Carol),
        };
        var expected = new[]
        {
            ("d", "g", 3, s_t0, s_t0.AddMinutes(2)),
            ("d", "g", 3, s_t0.AddMinutes(15), s_t0.AddMinutes(16)),
            ("d", "h", 3, s_t0.AddMinutes(0.5), s_t0.AddMinutes(4)),
            ("t", "g", 4, s_t0.AddMinutes(40), s_t0.AddMinutes(49.5)),
        };

        // When they are observed in eventTime order and in twenty seeded shuffles (a day of lateness: none is late)
        var orders = new List<int[]> { Enumerable.Range(0, hits.Length).ToArray() };
        for (var seed = 1; seed <= 20; seed++)
        {
            var order = Enumerable.Range(0, hits.Length).ToArray();
            new Random(seed).Shuffle(order);
            orders.Add(order);
        }

        // Then every order fires exactly those windows, once each
        foreach (var order in orders)
        {
            var tracker = new ThresholdTracker(TimeSpan.FromDays(1), 100);
            var fired = order
                .Select(i => (Hit: hits[i], Result: tracker.Observe(hits[i].Detection, hits[i].Spec, hits[i].Group, s_t0.AddMinutes(hits[i].Minute), (ulong)(i + 1), hits[i].Key)))
                .Where(h => h.Result.Outcome == ThresholdOutcome.Fired)
                .Select(h => (h.Hit.Detection, h.Hit.Group, h.Result.Count, h.Result.WindowStart, h.Result.WindowEnd))
                .Order()
                .ToList();
            Assert.Equal(expected, fired);
        }
    }

    [Fact]
    public void Observe_KeyedHitLaterThanTheAllowance_IsDroppedAndCounted()
    {
        // Given a group that has seen a hit at 12:30 (watermark 12:15), then Alice and Bob at 12:16
        var tracker = NewTracker();
        Hit(tracker, 30, Dave);
        var inTime = new[] { (16.0, Alice), (16.2, Bob) }.Select(h => Hit(tracker, h.Item1, h.Item2).Outcome).ToList();

        // When Carol's hit at 12:14.9 arrives (beyond the allowance), then Bob again
        var late = Hit(tracker, 14.9, Carol);
        var bob = Hit(tracker, 16.4, Bob);

        // Then Carol's is dropped and counted and completes nothing; her hit in time fires
        Assert.All(inTime, o => Assert.Equal(ThresholdOutcome.Counted, o));
        Assert.Equal((ThresholdOutcome.Late, ThresholdOutcome.Counted), (late.Outcome, bob.Outcome));
        Assert.Equal(1, tracker.LateHits);
        Assert.Equal(ThresholdOutcome.Fired, Hit(tracker, 16.5, Carol).Outcome);
    }

    [Fact]
    public void Observe_SameEventIdWithAnotherKey_IsADuplicate()
    {
        // Given hits of Alice (eventID 1) and Bob (eventID 2)
        var tracker = NewTracker();
        tracker.Observe("d", s_threeUsersPerFiveMinutes, "g", s_t0, 1, Alice);
        tracker.Observe("d", s_threeUsersPerFiveMinutes, "g", s_t0.AddMinutes(1), 2, Bob);

        // When eventID 2 arrives again carrying another key, then a new eventID for Carol
        var duplicate = tracker.Observe("d", s_threeUsersPerFiveMinutes, "g", s_t0.AddMinutes(1), 2, Carol);
        var carol = tracker.Observe("d", s_threeUsersPerFiveMinutes, "g", s_t0.AddMinutes(2), 3, Carol);

        // Then the repeat is ignored as the same record, and only Carol's own hit brings the third key
        Assert.Equal(ThresholdOutcome.Duplicate, duplicate.Outcome);
        Assert.Equal((ThresholdOutcome.Fired, 3, s_t0, s_t0.AddMinutes(2)), (carol.Outcome, carol.Count, carol.WindowStart, carol.WindowEnd));
    }

    [Fact]
    public void Observe_KeyedObjectProcessedAgain_TheFiringHitFiresAgainWithTheSameWindow()
    {
        // Given a group that fired on Carol's hit (eventIDs 1 to 4: Alice, Bob, Bob, Carol), whose object then failed
        var tracker = NewTracker();
        var hits = new[] { (0.0, Alice), (1, Bob), (1.5, Bob), (2, Carol) };
        var first = hits.Select((h, i) => tracker.Observe("d", s_threeUsersPerFiveMinutes, "g", s_t0.AddMinutes(h.Item1), (ulong)(i + 1), h.Item2)).ToList();
        Assert.Equal(ThresholdOutcome.Fired, first[^1].Outcome);

        // When the same hits arrive again
        var again = hits.Select((h, i) => tracker.Observe("d", s_threeUsersPerFiveMinutes, "g", s_t0.AddMinutes(h.Item1), (ulong)(i + 1), h.Item2)).ToList();

        // Then the others are duplicates, and the hit that fired fires again with the same window and count
        Assert.All(again.Take(3), r => Assert.Equal(ThresholdOutcome.Duplicate, r.Outcome));
        Assert.Equal(first[^1], again[^1]);
    }

    [Fact]
    public void Observe_EveryHitItsOwnKey_GivesTheResultsOfObserveWithoutAKey()
    {
        // Given seeded streams of hits in three groups (one rare), roughly in order with jitter past the allowance,
        // some eventIDs repeated and some missing, and room for two groups (so the rare one evicts)
        for (var seed = 1; seed <= 10; seed++)
        {
            var random = new Random(seed);
            var hits = Enumerable.Range(0, 400)
                .Select(i => (Group: random.Next(20) switch { 0 => "c", < 10 => "a", _ => "b" }, Minute: (i * 0.1) + (random.NextDouble() * 4) - 2, Id: (ulong)random.Next(40)))
                .ToList();
            var spec = new ThresholdSpec(4, TimeSpan.FromMinutes(2), ["sourceIPAddress"]);
            var withoutKeys = new ThresholdTracker(TimeSpan.FromMinutes(1), 2);
            var withKeys = new ThresholdTracker(TimeSpan.FromMinutes(1), 2);

            // When one tracker observes them without keys and the other with a key per hit
            var expected = hits.Select(h => withoutKeys.Observe("d", spec, h.Group, s_t0.AddMinutes(h.Minute), h.Id)).ToList();
            var actual = hits.Select((h, i) => withKeys.Observe("d", spec, h.Group, s_t0.AddMinutes(h.Minute), h.Id, (ulong)i)).ToList();

            // Then every result is the same, and the stream exercised each outcome
            Assert.Equal(expected, actual);
            Assert.Equal((withoutKeys.LateHits, withoutKeys.Evictions), (withKeys.LateHits, withKeys.Evictions));
            Assert.All(Enum.GetValues<ThresholdOutcome>(), o => Assert.Contains(o, expected.Select(r => r.Outcome)));
        }
    }
}
