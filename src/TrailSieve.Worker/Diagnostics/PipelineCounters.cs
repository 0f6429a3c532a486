using System.Collections.Concurrent;

namespace TrailSieve.Worker.Diagnostics;

/// <summary>Running totals of one pipeline, safe to update from every stage and to read at any time.</summary>
internal sealed class PipelineCounters(TrailSieveMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, long> _ruleHits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _detectionHits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _findings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _ledgerClaims = new(StringComparer.Ordinal);
    private long _lateHits;
    private long _evictedGroups;
    private long _ungroupedHits;
    private long _files;
    private long _filesFailed;
    private long _filesSkipped;
    private long _records;
    private long _kept;
    private long _dropped;
    private long _quarantined;
    private long _deduplicated;
    private long _dedupWindowsFull;
    private long _sourceBytes;
    private long _decodedBytes;
    private long _outputObjects;
    private long _outputBytes;

    public long Files => Interlocked.Read(ref _files);

    public long FilesFailed => Interlocked.Read(ref _filesFailed);

    public long FilesSkipped => Interlocked.Read(ref _filesSkipped);

    public long Records => Interlocked.Read(ref _records);

    public long Kept => Interlocked.Read(ref _kept);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records put aside as unusable and written to the quarantine (or, in a dry run, only counted).</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Kept records not written because their batch already held the same record.</summary>
    public long Deduplicated => Interlocked.Read(ref _deduplicated);

    /// <summary>Batches whose deduplication window filled up (later records of them went unremembered).</summary>
    public long DedupWindowsFull => Interlocked.Read(ref _dedupWindowsFull);

    public long SourceBytes => Interlocked.Read(ref _sourceBytes);

    public long DecodedBytes => Interlocked.Read(ref _decodedBytes);

    public long OutputObjects => Interlocked.Read(ref _outputObjects);

    public long OutputBytes => Interlocked.Read(ref _outputBytes);

    /// <summary>Share of records dropped, 0 to 1 (0 when no record was seen).</summary>
    public double FilterRate => Records == 0 ? 0 : (double)Dropped / Records;

    /// <summary>Records decided by each rule that hit at least once (by rule name).</summary>
    public IReadOnlyDictionary<string, long> RuleHits => _ruleHits;

    public void AddRuleHits(IReadOnlyList<string> ruleNames, ReadOnlySpan<int> hits)
    {
        for (var i = 0; i < hits.Length; i++)
        {
            if (hits[i] != 0)
            {
                var count = hits[i];
                _ruleHits.AddOrUpdate(ruleNames[i], count, (_, total) => total + count);
                metrics?.RuleHits(ruleNames[i], count);
            }
        }
    }

    /// <summary>Records each detection hit (before thresholds), by detection name.</summary>
    public IReadOnlyDictionary<string, long> DetectionHits => _detectionHits;

    /// <summary>Findings raised, by detection name.</summary>
    public IReadOnlyDictionary<string, long> Findings => _findings;

    public long FindingCount => _findings.Values.Sum();

    public long LateHits => Interlocked.Read(ref _lateHits);

    public long EvictedGroups => Interlocked.Read(ref _evictedGroups);

    /// <summary>Threshold hits skipped because a <c>group_by</c> field had no value.</summary>
    public long UngroupedHits => Interlocked.Read(ref _ungroupedHits);

    public void AddDetectionHits(IReadOnlyList<Core.Detections.Detection> detections, ReadOnlySpan<int> hits)
    {
        for (var i = 0; i < hits.Length; i++)
        {
            if (hits[i] != 0)
            {
                var count = hits[i];
                _detectionHits.AddOrUpdate(detections[i].Name, count, (_, total) => total + count);
            }
        }
    }

    public void AddFinding(string detection, string severity)
    {
        _findings.AddOrUpdate(detection, 1, (_, total) => total + 1);
        metrics?.Finding(detection, severity);
    }

    public void AddDetectionState(long lateHits, long evictedGroups, long ungroupedHits)
    {
        Interlocked.Add(ref _lateHits, lateHits);
        Interlocked.Add(ref _evictedGroups, evictedGroups);
        Interlocked.Add(ref _ungroupedHits, ungroupedHits);
        metrics?.DetectionState(lateHits, evictedGroups, ungroupedHits);
    }

    /// <summary>Delivery-ledger claims by result: new, takeover, delivered (skipped as already written), held (by another worker), contended.</summary>
    public IReadOnlyDictionary<string, long> LedgerClaims => _ledgerClaims;

    public void AddLedgerClaim(string result)
    {
        _ledgerClaims.AddOrUpdate(result, 1, (_, total) => total + 1);
        metrics?.LedgerClaim(result);
    }

    public void AddOutput(long bytes)
    {
        Interlocked.Increment(ref _outputObjects);
        Interlocked.Add(ref _outputBytes, bytes);
        metrics?.OutputCommitted(bytes);
    }

    public void AddDedupWindowFull()
    {
        Interlocked.Increment(ref _dedupWindowsFull);
        metrics?.DedupWindowFull();
    }

    public void AddObject(Pipeline.ObjectOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        metrics?.ObjectCompleted(
            outcome.Status.ToString().ToLowerInvariant(), outcome.Records, outcome.Kept, outcome.Dropped, outcome.SourceBytes, outcome.DecodedBytes, outcome.Elapsed, outcome.ErrorType);
        if (outcome.Status != Pipeline.ObjectStatus.Failed)
        {
            metrics?.RecordsDeduplicated(outcome.Deduplicated);
        }

        Interlocked.Increment(ref _files);
        if (outcome.Status == Pipeline.ObjectStatus.Failed)
        {
            Interlocked.Increment(ref _filesFailed);
            return;
        }

        if (outcome.Status == Pipeline.ObjectStatus.Skipped)
        {
            Interlocked.Increment(ref _filesSkipped);
        }

        Interlocked.Add(ref _records, outcome.Records);
        Interlocked.Add(ref _kept, outcome.Kept);
        Interlocked.Add(ref _dropped, outcome.Dropped);
        if (outcome.Quarantined > 0)
        {
            Interlocked.Add(ref _quarantined, outcome.Quarantined);
            metrics?.RecordsQuarantined(outcome.Quarantined);
        }
        Interlocked.Add(ref _deduplicated, outcome.Deduplicated);
        Interlocked.Add(ref _sourceBytes, outcome.SourceBytes);
        Interlocked.Add(ref _decodedBytes, outcome.DecodedBytes);
    }
}
