using System.Diagnostics.Metrics;

namespace TrailSieve.Worker.Diagnostics;

/// <summary>
/// The one <see cref="Meter"/> ("TrailSieve"), created from <see cref="IMeterFactory"/>, with every instrument created
/// once. Hot paths call these per file, per chunk or per batch, never per record. Names are OpenTelemetry-style; the
/// CloudWatch names the Go Lambdas documented are in <see cref="CloudWatchNames"/> (used by the EMF publisher).
/// No per-request, per-key or per-message dimension: tags are bounded (status, error type, rule, kind).
/// </summary>
public sealed class TrailSieveMetrics
{
    public const string MeterName = "TrailSieve";

    public const string ActivitySourceName = "TrailSieve";

    private readonly Counter<long> _recordsProcessed;
    private readonly Counter<long> _recordsKept;
    private readonly Counter<long> _recordsDropped;
    private readonly Counter<long> _recordsQuarantined;
    private readonly Counter<long> _recordsDeduplicated;
    private readonly Counter<long> _dedupWindowsFull;
    private readonly Counter<long> _files;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<double> _fileDuration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _ruleHits;
    private readonly Counter<long> _batches;
    private readonly Histogram<long> _batchBytes;
    private readonly Counter<long> _messages;
    private readonly Histogram<double> _configLoadTime;
    private readonly Counter<long> _rulesReloads;
    private readonly Histogram<double> _s3Latency;
    private readonly Counter<long> _findings;
    private readonly Counter<long> _detectionLateHits;
    private readonly Counter<long> _detectionEvictions;
    private readonly Counter<long> _detectionUngroupedHits;
    private readonly Counter<long> _ledgerClaims;
    private int _serviceObserved;
    private int _pipelineObserved;

    public TrailSieveMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _recordsProcessed = Meter.CreateCounter<long>("trailsieve.records.processed", "{record}", "Records read from CloudTrail files");
        _recordsKept = Meter.CreateCounter<long>("trailsieve.records.kept", "{record}", "Records written to the output");
        _recordsDropped = Meter.CreateCounter<long>("trailsieve.records.dropped", "{record}", "Records dropped by the rules");
        _recordsQuarantined = Meter.CreateCounter<long>(
            "trailsieve.records.quarantined", "{record}", "Unusable records (not an object, too large, too deep) written to the quarantine");
        _recordsDeduplicated = Meter.CreateCounter<long>("trailsieve.records.deduplicated", "{record}", "Kept records not written because their batch already held the same record (eventID and bytes)");
        _dedupWindowsFull = Meter.CreateCounter<long>("trailsieve.dedup.windows_full", "{batch}", "Batches whose deduplication window filled up (Output:DedupWindow)");
        _files = Meter.CreateCounter<long>("trailsieve.files", "{file}", "Input objects by outcome (status: succeeded, skipped, failed)");
        _bytesIn = Meter.CreateCounter<long>("trailsieve.bytes.in", "By", "Input bytes (kind: compressed, raw)");
        _bytesOut = Meter.CreateCounter<long>("trailsieve.bytes.out", "By", "Bytes of committed output objects");
        _fileDuration = Meter.CreateHistogram<double>("trailsieve.file.duration", "ms", "Time from reading an object to its outcome");
        _errors = Meter.CreateCounter<long>("trailsieve.errors", "{error}", "Errors by error.type");
        _ruleHits = Meter.CreateCounter<long>("trailsieve.rule.hits", "{record}", "Records decided by each rule (rule)");
        _batches = Meter.CreateCounter<long>("trailsieve.output.objects", "{object}", "Output objects committed");
        _batchBytes = Meter.CreateHistogram<long>("trailsieve.output.object.size", "By", "Size of committed output objects");
        _messages = Meter.CreateCounter<long>("trailsieve.sqs.messages", "{message}", "SQS messages (operation: received, deleted, extended, abandoned, released, unknown)");
        _configLoadTime = Meter.CreateHistogram<double>("trailsieve.rules.load.duration", "ms", "Time to fetch and compile the rules");
        _rulesReloads = Meter.CreateCounter<long>("trailsieve.rules.reloads", "{reload}", "Rules reloads (result: success, failure)");
        _s3Latency = Meter.CreateHistogram<double>("trailsieve.s3.duration", "ms", "S3 request latency (operation: get, put)");
        _findings = Meter.CreateCounter<long>("trailsieve.findings", "{finding}", "Findings raised (detection, severity)");
        _detectionLateHits = Meter.CreateCounter<long>("trailsieve.detections.late_hits", "{hit}", "Threshold hits dropped as later than the lateness allowance");
        _detectionEvictions = Meter.CreateCounter<long>("trailsieve.detections.evicted_groups", "{group}", "Threshold groups evicted with live state to stay within Detections:MaxGroups");
        _detectionUngroupedHits = Meter.CreateCounter<long>("trailsieve.detections.ungrouped_hits", "{hit}", "Threshold hits skipped because a group_by field had no value");
        _ledgerClaims = Meter.CreateCounter<long>("trailsieve.ledger.claims", "{claim}", "Delivery-ledger claims (result: new, takeover, delivered, held, contended)");
    }

    public Meter Meter { get; }

    /// <summary>OpenTelemetry instrument name → CloudWatch metric name and EMF unit (the Go Lambdas' names where they exist).</summary>
    public static IReadOnlyDictionary<string, (string Name, string Unit)> CloudWatchNames { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["trailsieve.records.processed"] = ("RecordsProcessed", "Count"),
        ["trailsieve.records.kept"] = ("RecordsKept", "Count"),
        ["trailsieve.records.dropped"] = ("RecordsFiltered", "Count"),
        ["trailsieve.records.quarantined"] = ("RecordsQuarantined", "Count"),
        ["trailsieve.records.deduplicated"] = ("RecordsDeduplicated", "Count"),
        ["trailsieve.dedup.windows_full"] = ("DedupWindowsFull", "Count"),
        ["trailsieve.files"] = ("Files", "Count"),
        ["trailsieve.bytes.in"] = ("BytesIn", "Bytes"),
        ["trailsieve.bytes.out"] = ("BytesOut", "Bytes"),
        ["trailsieve.file.duration"] = ("ProcessingTime", "Milliseconds"),
        ["trailsieve.errors"] = ("Errors", "Count"),
        ["trailsieve.rule.hits"] = ("RuleHits", "Count"),
        ["trailsieve.output.objects"] = ("OutputObjects", "Count"),
        ["trailsieve.output.object.size"] = ("OutputObjectSize", "Bytes"),
        ["trailsieve.sqs.messages"] = ("Messages", "Count"),
        ["trailsieve.rules.load.duration"] = ("ConfigLoadTime", "Milliseconds"),
        ["trailsieve.rules.reloads"] = ("RulesReloads", "Count"),
        ["trailsieve.s3.duration"] = ("S3Latency", "Milliseconds"),
        ["trailsieve.findings"] = ("Findings", "Count"),
        ["trailsieve.detections.late_hits"] = ("DetectionLateHits", "Count"),
        ["trailsieve.detections.evicted_groups"] = ("DetectionGroupsEvicted", "Count"),
        ["trailsieve.detections.ungrouped_hits"] = ("DetectionUngroupedHits", "Count"),
        ["trailsieve.ledger.claims"] = ("LedgerClaims", "Count"),
        ["trailsieve.sqs.oldest_message.age"] = ("OldestInFlightMessageAge", "Seconds"),
        ["trailsieve.sqs.in_flight"] = ("MessagesInFlight", "Count"),
        ["trailsieve.pipeline.queue.depth"] = ("ChannelDepth", "Count"),
    };

    public void ObjectCompleted(string status, long records, long kept, long dropped, long sourceBytes, long decodedBytes, TimeSpan elapsed, string? errorType)
    {
        _files.Add(1, new KeyValuePair<string, object?>("status", status));
        _fileDuration.Record(elapsed.TotalMilliseconds);
        if (errorType is not null)
        {
            _errors.Add(1, new KeyValuePair<string, object?>("error.type", errorType));
        }

        if (records > 0)
        {
            _recordsProcessed.Add(records);
            _recordsKept.Add(kept);
            _recordsDropped.Add(dropped);
        }

        if (sourceBytes > 0)
        {
            _bytesIn.Add(sourceBytes, new KeyValuePair<string, object?>("kind", "compressed"));
            _bytesIn.Add(decodedBytes, new KeyValuePair<string, object?>("kind", "raw"));
        }
    }

    /// <summary>Records of one succeeded (or skipped) object that went to the quarantine.</summary>
    public void RecordsQuarantined(long count) => _recordsQuarantined.Add(count);

    public void RecordsDeduplicated(long records)
    {
        if (records > 0)
        {
            _recordsDeduplicated.Add(records);
        }
    }

    public void DedupWindowFull() => _dedupWindowsFull.Add(1);

    public void RuleHits(string rule, long hits)
    {
        if (_ruleHits.Enabled)
        {
            _ruleHits.Add(hits, new KeyValuePair<string, object?>("rule", rule));
        }
    }

    /// <summary>One finding: dimensions Detection and Severity (lower case) in EMF.</summary>
    public void Finding(string detection, string severity) =>
        _findings.Add(1, new KeyValuePair<string, object?>("detection", detection), new KeyValuePair<string, object?>("severity", severity));

    public void DetectionState(long lateHits, long evictedGroups, long ungroupedHits)
    {
        if (lateHits > 0)
        {
            _detectionLateHits.Add(lateHits);
        }

        if (evictedGroups > 0)
        {
            _detectionEvictions.Add(evictedGroups);
        }

        if (ungroupedHits > 0)
        {
            _detectionUngroupedHits.Add(ungroupedHits);
        }
    }

    public void OutputCommitted(long bytes)
    {
        _batches.Add(1);
        _bytesOut.Add(bytes);
        _batchBytes.Record(bytes);
    }

    public void Error(string errorType, long count = 1) => _errors.Add(count, new KeyValuePair<string, object?>("error.type", errorType));

    public void Messages(string operation, long count)
    {
        if (count > 0)
        {
            _messages.Add(count, new KeyValuePair<string, object?>("operation", operation));
        }
    }

    public void LedgerClaim(string result) => _ledgerClaims.Add(1, new KeyValuePair<string, object?>("result", result));

    public void RulesLoaded(TimeSpan elapsed) => _configLoadTime.Record(elapsed.TotalMilliseconds);

    public void RulesReload(bool success) => _rulesReloads.Add(1, new KeyValuePair<string, object?>("result", success ? "success" : "failure"));

    public void S3Request(string operation, TimeSpan elapsed) => _s3Latency.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>Gauges read when a collector asks: age of the oldest in-flight message, messages in flight, channel depths.</summary>
    public void ObserveService(Func<double> oldestMessageAgeSeconds, Func<int> inFlight)
    {
        // Once per meter: a second registration would report every gauge twice.
        if (Interlocked.Exchange(ref _serviceObserved, 1) != 0)
        {
            return;
        }

        Meter.CreateObservableGauge("trailsieve.sqs.oldest_message.age", oldestMessageAgeSeconds, "s", "Age of the oldest message received and not yet acknowledged");
        Meter.CreateObservableGauge("trailsieve.sqs.in_flight", inFlight, "{message}", "Messages received and not yet acknowledged");
    }

    public void ObservePipeline(Func<IEnumerable<Measurement<int>>> depths)
    {
        if (Interlocked.Exchange(ref _pipelineObserved, 1) == 0)
        {
            Meter.CreateObservableGauge("trailsieve.pipeline.queue.depth", depths, "{item}", "Items waiting in each pipeline channel (channel)");
        }
    }
}
