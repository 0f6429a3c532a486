namespace TrailSieve.Core.Detections;

/// <summary>
/// Threshold state for every threshold detection and group, by eventTime (never the wall clock). The watermark is the
/// latest eventTime of any hit seen minus the lateness allowance: a hit older than it is dropped and counted
/// (<see cref="LateHits"/>), and hits older than the watermark minus a detection's window are forgotten, since no
/// window holding an acceptable hit can reach back to them. At most <c>maxGroups</c> groups are kept; past that the
/// least recently hit group is evicted (<see cref="Evictions"/>), expired groups first and without counting.
/// A hit with an eventID the group already holds is a duplicate and ignored, except the hit that fired: seen again,
/// it fires again with the same window, since its object is being processed again and the first finding may not
/// have become durable (at-least-once, like the output).
/// Thread-safe: filter workers call <see cref="Observe"/> in parallel under one lock. Threshold hits are a small
/// fraction of records (a detection's matches run first), so the lock is uncontended in practice, and the order in
/// which workers deliver hits is just more out-of-order arrival, which the lateness allowance covers.
/// </summary>
public sealed class ThresholdTracker
{
    /// <summary>The most hits kept per group; beyond it the oldest are forgotten (a count above it is rejected at load).</summary>
    public const int MaxHitsPerGroup = ThresholdSpec.MaxCount;

    private readonly Lock _lock = new();
    private readonly long _latenessTicks;
    private readonly int _maxGroups;
    private readonly Dictionary<(string Detection, string Group), LinkedListNode<GroupState>> _groups = [];
    private readonly LinkedList<GroupState> _recent = new();
    private long _maxSeen = long.MinValue;
    private long _lateHits;
    private long _evictions;

    public ThresholdTracker(TimeSpan lateness, int maxGroups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lateness, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxGroups);
        _latenessTicks = lateness.Ticks;
        _maxGroups = maxGroups;
    }

    /// <summary>Hits dropped as later than the lateness allowance, since creation.</summary>
    public long LateHits => Interlocked.Read(ref _lateHits);

    /// <summary>Groups evicted with live state to stay within the maximum, since creation.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public int GroupCount
    {
        get
        {
            lock (_lock)
            {
                return _groups.Count;
            }
        }
    }

    /// <summary>A 64-bit FNV-1a hash of an eventID's bytes, for duplicate detection (0 for none).</summary>
    public static ulong HashEventId(ReadOnlySpan<byte> eventId)
    {
        if (eventId.IsEmpty)
        {
            return 0;
        }

        var hash = 14695981039346656037UL;
        foreach (var b in eventId)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash == 0 ? 1 : hash;
    }

    /// <summary>
    /// Counts one hit of the threshold detection named <paramref name="detection"/> (state is kept by name, so it
    /// survives a reload that reorders detections) for <paramref name="group"/>.
    /// </summary>
    public ThresholdResult Observe(string detection, ThresholdSpec spec, string group, DateTimeOffset eventTime, ulong eventIdHash)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(detection);
        var t = eventTime.UtcTicks;
        var window = spec.Window.Ticks;
        lock (_lock)
        {
            _maxSeen = Math.Max(_maxSeen, t);
            var watermark = _maxSeen - _latenessTicks;
            if (t < watermark)
            {
                _lateHits++;
                return new ThresholdResult(ThresholdOutcome.Late, 0, default, default);
            }

            var evictionsBefore = _evictions;
            var state = Touch(detection, group, watermark);
            var evicted = (int)(_evictions - evictionsBefore);
            var hits = state.Hits;
            state.Horizon = window;
            var forget = 0;
            while (forget < hits.Count && hits[forget].Ticks < watermark - window)
            {
                forget++;
            }

            hits.RemoveRange(0, forget);
            if (eventIdHash != 0 && hits.Exists(h => h.Id == eventIdHash))
            {
                // The hit that fired, seen again: its object is being processed again (it failed, or its message was
                // redelivered), so the finding it raised may not be durable. Fire again with the same window:
                // at-least-once, like the output; a duplicate finding carries the same eventID.
                return eventIdHash == state.FiredBy
                    ? state.FiredResult with { EvictedGroups = evicted }
                    : new ThresholdResult(ThresholdOutcome.Duplicate, 0, default, default, evicted);
            }

            var at = Insert(hits, t, eventIdHash);
            if (hits.Count > MaxHitsPerGroup)
            {
                hits.RemoveAt(0);
                at--;
            }

            state.Latest = Math.Max(state.Latest, t);
            if (FindWindow(hits, at, spec.Count, window) is not { } first)
            {
                return new ThresholdResult(ThresholdOutcome.Counted, 0, default, default, evicted);
            }

            if (t < state.SilentUntil)
            {
                return new ThresholdResult(ThresholdOutcome.Suppressed, 0, default, default, evicted);
            }

            state.SilentUntil = t + window;
            state.FiredBy = eventIdHash;
            state.FiredResult = new ThresholdResult(
                ThresholdOutcome.Fired,
                spec.Count,
                new DateTimeOffset(hits[first].Ticks, TimeSpan.Zero),
                new DateTimeOffset(hits[first + spec.Count - 1].Ticks, TimeSpan.Zero));
            return state.FiredResult with { EvictedGroups = evicted };
        }
    }

    /// <summary>The first index of <paramref name="count"/> consecutive hits including <paramref name="at"/> that span less than the window.</summary>
    private static int? FindWindow(List<Hit> hits, int at, int count, long window)
    {
        for (var first = Math.Max(0, at - count + 1); first <= at && first + count - 1 < hits.Count; first++)
        {
            if (hits[first + count - 1].Ticks - hits[first].Ticks < window)
            {
                return first;
            }
        }

        return null;
    }

    private static int Insert(List<Hit> hits, long ticks, ulong id)
    {
        // Hits mostly arrive in order: search from the end.
        var at = hits.Count;
        while (at > 0 && hits[at - 1].Ticks > ticks)
        {
            at--;
        }

        hits.Insert(at, new Hit(ticks, id));
        return at;
    }

    private GroupState Touch(string detection, string group, long watermark)
    {
        if (_groups.TryGetValue((detection, group), out var node))
        {
            _recent.Remove(node);
            _recent.AddLast(node);
            return node.Value;
        }

        while (_groups.Count >= _maxGroups && _recent.First is { } oldest)
        {
            var expired = oldest.Value.Latest < watermark - oldest.Value.Horizon && oldest.Value.SilentUntil <= watermark;
            if (!expired)
            {
                _evictions++;
            }

            _recent.RemoveFirst();
            _groups.Remove((oldest.Value.Detection, oldest.Value.Group));
        }

        var created = _recent.AddLast(new GroupState(detection, group));
        _groups.Add((detection, group), created);
        return created.Value;
    }

    private readonly record struct Hit(long Ticks, ulong Id);

    private sealed class GroupState(string detection, string group)
    {
        public string Detection { get; } = detection;

        public string Group { get; } = group;

        /// <summary>Hits still able to fall in a window with an acceptable hit, sorted by eventTime.</summary>
        public List<Hit> Hits { get; } = [];

        public long Latest { get; set; } = long.MinValue;

        public long Horizon { get; set; }

        /// <summary>The group fired: hits before this eventTime stay silent.</summary>
        public long SilentUntil { get; set; } = long.MinValue;

        /// <summary>The eventID hash of the hit that fired last (0 for none), and what it fired with.</summary>
        public ulong FiredBy { get; set; }

        public ThresholdResult FiredResult { get; set; }
    }
}
