namespace TrailSieve.Core.Detections;

/// <summary>
/// Threshold state for every threshold detection and group, by eventTime (never the wall clock).
/// <para>
/// Each group (detection name and group value) keeps its own watermark: the latest eventTime of its hits minus the
/// lateness allowance. A hit older than its group's watermark is dropped and counted (<see cref="LateHits"/>); hits
/// older than the watermark minus the window are forgotten, since no window holding an acceptable hit reaches back
/// to them. The watermark is per group, not per process, so one group's hits never make another's late: files of one
/// account or region processed after a later period of another lose nothing.
/// </para>
/// <para>
/// A window is <c>count</c> hits less than <c>window</c> apart; it fires at the eventTime of its last hit unless the
/// group already fired less than one window away from that time (before or after it). In eventTime order that is
/// "fire once, then stay silent for a window after the hit that fired"; out of order it gives the same findings
/// whichever order the hits of a span arrive in, except that a finding already raised is never withdrawn.
/// </para>
/// <para>
/// At most <c>maxGroups</c> groups are kept; past that the least recently hit group is evicted
/// (<see cref="Evictions"/>), idle groups first and without counting. A hit whose eventID the group holds is a duplicate
/// and ignored, except the hit that raised a finding: seen again, its object is being processed again and the first
/// finding may not have become durable, so it fires again with the same window (at-least-once, like the output).
/// </para>
/// Thread-safe: filter workers call <see cref="Observe"/> in parallel under one lock. Threshold hits are a small
/// fraction of records (a detection's matches run first), so the lock is uncontended in practice.
/// </summary>
public sealed partial class ThresholdTracker
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
            var evictionsBefore = _evictions;
            var state = Touch(detection, group, window);
            var evicted = (int)(_evictions - evictionsBefore);
            state.Window = window;
            state.Latest = Math.Max(state.Latest, t);
            var watermark = state.Latest - _latenessTicks;
            if (t < watermark)
            {
                _lateHits++;
                return new ThresholdResult(ThresholdOutcome.Late, 0, default, default, evicted);
            }

            state.Forget(watermark - window);
            if (eventIdHash != 0 && !state.Ids.Add(eventIdHash))
            {
                // Seen before. If this hit raised a finding, its object is being processed again (it failed, or its
                // message was redelivered), so that finding may not be durable: raise it again, same window.
                return state.FiringBy(eventIdHash) is { } again
                    ? again with { EvictedGroups = evicted }
                    : new ThresholdResult(ThresholdOutcome.Duplicate, 0, default, default, evicted);
            }

            var at = state.Insert(new Hit(t, eventIdHash));
            return state.TryFire(at, spec.Count, eventIdHash) with { EvictedGroups = evicted };
        }
    }

    private GroupState Touch(string detection, string group, long window)
    {
        if (_groups.TryGetValue((detection, group), out var node))
        {
            _recent.Remove(node);
            _recent.AddLast(node);
            return node.Value;
        }

        while (_groups.Count >= _maxGroups && _recent.First is { } oldest)
        {
            if (!oldest.Value.IsIdle(_maxSeen - _latenessTicks))
            {
                _evictions++;
            }

            _recent.RemoveFirst();
            _groups.Remove((oldest.Value.Detection, oldest.Value.Group));
        }

        var created = _recent.AddLast(new GroupState(detection, group) { Window = window });
        _groups.Add((detection, group), created);
        return created.Value;
    }

    private readonly record struct Hit(long Ticks, ulong Id);

    /// <summary>A finding the group raised: the eventTime it fired at, the hit whose arrival raised it, and its result.</summary>
    private readonly record struct Firing(long At, ulong By, ThresholdResult Result);
}
