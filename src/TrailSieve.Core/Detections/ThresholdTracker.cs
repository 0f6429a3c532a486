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
/// A window is hits less than <c>window</c> apart that carry <c>count</c> distinct keys: with
/// <see cref="Observe(string, ThresholdSpec, string, DateTimeOffset, ulong)"/> every hit is its own key, so that is
/// <c>count</c> hits; <see cref="Observe(string, ThresholdSpec, string, DateTimeOffset, ulong, ulong)"/> takes the key
/// (a field value's hash for a value count, a rule's id for a temporal correlation), and repeated hits of one key are
/// all kept but count once. A window fires at the eventTime of its last hit unless the
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
/// Thread-safe: filter workers call <c>Observe</c> in parallel under one lock. Threshold hits are a small
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
    private readonly DistinctKeys _keys = new();
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
    /// survives a reload that reorders detections) for <paramref name="group"/>. Every hit is its own key: a window
    /// fires on <see cref="ThresholdSpec.Count"/> hits, and a finding's <see cref="ThresholdResult.Count"/> is that many hits.
    /// </summary>
    public ThresholdResult Observe(string detection, ThresholdSpec spec, string group, DateTimeOffset eventTime, ulong eventIdHash) =>
        Observe(detection, spec, group, new Hit(eventTime.UtcTicks, eventIdHash, 0, Keyed: false));

    /// <summary>
    /// Counts one hit carrying <paramref name="distinctKey"/>, as
    /// <see cref="Observe(string, ThresholdSpec, string, DateTimeOffset, ulong)"/> does, except that a window fires when
    /// its hits carry <see cref="ThresholdSpec.Count"/> distinct keys (a Sigma value_count: the hash of the counted
    /// field's value; a temporal correlation: the index of the referenced rule that hit). Hits of a key already held
    /// are kept, not merged: a later hit of a key can be what brings a window together with other keys.
    /// </summary>
    /// <returns>
    /// When <see cref="ThresholdOutcome.Fired"/>, <see cref="ThresholdResult.Count"/> is the number of distinct keys in the
    /// window (the count, as the window is the shortest ending at its last hit that reaches it; it may hold more hits).
    /// </returns>
    public ThresholdResult Observe(string detection, ThresholdSpec spec, string group, DateTimeOffset eventTime, ulong eventIdHash, ulong distinctKey) =>
        Observe(detection, spec, group, new Hit(eventTime.UtcTicks, eventIdHash, distinctKey, Keyed: true));

    private ThresholdResult Observe(string detection, ThresholdSpec spec, string group, Hit hit)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(detection);
        var t = hit.Ticks;
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
            if (hit.Id != 0 && !state.Ids.Add(hit.Id))
            {
                // Seen before. If this hit raised a finding, its object is being processed again (it failed, or its
                // message was redelivered), so that finding may not be durable: raise it again, same window.
                return state.FiringBy(hit.Id) is { } again
                    ? again with { EvictedGroups = evicted }
                    : new ThresholdResult(ThresholdOutcome.Duplicate, 0, default, default, evicted);
            }

            var at = state.Insert(hit);
            return state.TryFire(at, spec.Count, hit.Id, _keys) with { EvictedGroups = evicted };
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

    /// <summary>A hit: its eventTime, eventID hash and distinct key (<paramref name="Keyed"/> false: a key of its own).</summary>
    private readonly record struct Hit(long Ticks, ulong Id, ulong Key, bool Keyed);

    /// <summary>A finding the group raised: the eventTime it fired at, the hit whose arrival raised it, and its result.</summary>
    private readonly record struct Firing(long At, ulong By, ThresholdResult Result);
}
