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
        /// Looks at every window of <paramref name="count"/> consecutive hits that holds the hit at <paramref name="at"/>,
        /// earliest first, and fires the first whose last eventTime is at least a window away from every finding the
        /// group raised. Windows holding one hit can differ by less than a window, so at most one fires per hit.
        /// </summary>
        public ThresholdResult TryFire(int at, int count, ulong arrivalId)
        {
            var outcome = ThresholdOutcome.Counted;
            for (var first = Math.Max(0, at - count + 1); at >= 0 && first <= at && first + count - 1 < _hits.Count; first++)
            {
                var start = _hits[first].Ticks;
                var end = _hits[first + count - 1].Ticks;
                if (end - start >= Window)
                {
                    continue;
                }

                if (Silenced(end))
                {
                    outcome = ThresholdOutcome.Suppressed;
                    continue;
                }

                var result = new ThresholdResult(ThresholdOutcome.Fired, count, new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero));
                _firings.Add(new Firing(end, arrivalId, result));
                return result;
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
}
