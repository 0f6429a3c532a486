using System.Runtime.InteropServices;

namespace TrailSieve.Core.Detections;

public sealed partial class ThresholdTracker
{
    /// <summary>One group's hits (sorted by eventTime), the eventIDs among them, and the findings it raised. Guarded by the tracker's lock.</summary>
    private sealed class GroupState(string detection, string group)
    {
        private readonly List<Hit> _hits = [];
        private readonly List<Firing> _firings = [];

        public string Detection { get; } = detection;

        public string Group { get; } = group;

        /// <summary>The eventID hashes of the hits held, for duplicate detection.</summary>
        public HashSet<ulong> Ids { get; } = [];

        /// <summary>The latest eventTime of the group's hits: its watermark is this minus the lateness allowance.</summary>
        public long Latest { get; set; } = long.MinValue;

        /// <summary>The detection's window (ticks), as of its latest hit.</summary>
        public long Window { get; set; }

        /// <summary>
        /// Idle when even a hit at the process-wide watermark could not share a window with anything the group holds:
        /// evicting it then loses nothing, so the eviction is not counted.
        /// </summary>
        public bool IsIdle(long processWatermark) => Latest < processWatermark - Window;

        /// <summary>Forgets hits older than <paramref name="horizon"/> and findings that can no longer silence a window.</summary>
        public void Forget(long horizon)
        {
            var old = 0;
            while (old < _hits.Count && _hits[old].Ticks < horizon)
            {
                Ids.Remove(_hits[old].Id);
                old++;
            }

            _hits.RemoveRange(0, old);

            // A window that can still fire ends at or after the watermark (horizon + window), so a finding at or
            // before the horizon is at least a window away from it.
            _firings.RemoveAll(f => f.At <= horizon);
        }

        /// <summary>The finding raised when the hit with this eventID arrived, if any.</summary>
        public ThresholdResult? FiringBy(ulong id)
        {
            foreach (var firing in _firings)
            {
                if (firing.By == id)
                {
                    return firing.Result;
                }
            }

            return null;
        }

        /// <summary>Inserts in eventTime order and returns the index, or -1 when the cap pushed the hit itself out.</summary>
        public int Insert(Hit hit)
        {
            // Hits mostly arrive in order: search from the end.
            var at = _hits.Count;
            while (at > 0 && _hits[at - 1].Ticks > hit.Ticks)
            {
                at--;
            }

            _hits.Insert(at, hit);
            if (_hits.Count > MaxHitsPerGroup)
            {
                Ids.Remove(_hits[0].Id);
                _hits.RemoveAt(0);
                at--;
            }

            return at;
        }

        /// <summary>
        /// Looks at every window that holds the hit at <paramref name="at"/> and <paramref name="count"/> distinct keys,
        /// earliest end first, and fires the first whose end is at least a window away from every finding the group
        /// raised. A window is the shortest run of hits that ends at a given hit and reaches the count; it counts only
        /// if its first and last eventTimes are less than a window apart. Windows holding one hit end less than a
        /// window apart, so at most one fires per hit.
        /// </summary>
        /// <remarks>
        /// One pass with two pointers, the run [first, last] and its key counts in <paramref name="keys"/>, over the hits
        /// less than a window from the new one (at most <see cref="MaxHitsPerGroup"/>; in practice a few). Without keys
        /// every hit is its own key, the run is <paramref name="count"/> hits long and the pass costs what the count
        /// does, as before keys.
        /// </remarks>
        public ThresholdResult TryFire(int at, int count, ulong arrivalId, DistinctKeys keys)
        {
            // A count below one or a window not above zero (both rejected at load) has no window that fits.
            if (at < 0 || count < 1 || Window <= 0)
            {
                return new ThresholdResult(ThresholdOutcome.Counted, 0, default, default);
            }

            var outcome = ThresholdOutcome.Counted;
            var t = _hits[at].Ticks;
            keys.Reset();

            // The run ending at the new hit: back from it until it holds the count or the next hit is a window away.
            var first = at;
            keys.Add(_hits[at]);
            while (keys.Distinct < count && first > 0 && t - _hits[first - 1].Ticks < Window)
            {
                keys.Add(_hits[--first]);
            }

            for (var last = at; ;)
            {
                if (keys.Distinct >= count)
                {
                    // Shortest run ending at last that still holds the count.
                    while (keys.Distinct > count || keys.IsRepeated(_hits[first]))
                    {
                        keys.Remove(_hits[first++]);
                    }

                    if (first > at)
                    {
                        // This window and every later one do without the new hit: they were looked at when they filled.
                        break;
                    }

                    var end = _hits[last].Ticks;
                    if (!Silenced(end))
                    {
                        var result = new ThresholdResult(ThresholdOutcome.Fired, keys.Distinct, new DateTimeOffset(_hits[first].Ticks, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero));
                        _firings.Add(new Firing(end, arrivalId, result));
                        return result;
                    }

                    outcome = ThresholdOutcome.Suppressed;
                }

                if (++last == _hits.Count || _hits[last].Ticks - t >= Window)
                {
                    break;
                }

                keys.Add(_hits[last]);
                while (_hits[last].Ticks - _hits[first].Ticks >= Window)
                {
                    keys.Remove(_hits[first++]);
                }

                if (first > at)
                {
                    break;
                }
            }

            return new ThresholdResult(outcome, 0, default, default);
        }

        private bool Silenced(long end)
        {
            foreach (var firing in _firings)
            {
                if (Math.Abs(end - firing.At) < Window)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The distinct keys of a run of hits, one key→count map reused by every check under the tracker's lock. Hits
    /// without a key are each their own key and only counted.
    /// </summary>
    private sealed class DistinctKeys
    {
        private readonly Dictionary<ulong, int> _counts = [];
        private int _unkeyed;

        public int Distinct => _counts.Count + _unkeyed;

        public void Reset()
        {
            _unkeyed = 0;
            if (_counts.Count > 0)
            {
                _counts.Clear();
            }
        }

        public void Add(Hit hit)
        {
            if (hit.Keyed)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_counts, hit.Key, out _)++;
            }
            else
            {
                _unkeyed++;
            }
        }

        public void Remove(Hit hit)
        {
            if (!hit.Keyed)
            {
                _unkeyed--;
            }
            else if (--CollectionsMarshal.GetValueRefOrNullRef(_counts, hit.Key) == 0)
            {
                _counts.Remove(hit.Key);
            }
        }

        /// <summary>Whether the run holds another hit of this hit's key, so dropping it keeps the count of keys.</summary>
        public bool IsRepeated(Hit hit) => hit.Keyed && _counts[hit.Key] > 1;
    }
}
