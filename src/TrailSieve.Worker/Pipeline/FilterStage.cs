using System.IO.Compression;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Stage 2, P workers: evaluates the rules on every record's bytes and compresses the kept records of each chunk
/// into gzip pieces (one per output partition), so compression runs in parallel and the writer only appends bytes.
/// The same scan evaluates every detection on every record, whatever the rules decide; hits become findings here
/// (threshold hits through the engine's shared tracker) and travel with the chunk to the writer. With
/// <c>recordIdentities</c> (batch mode, deduplicating), each piece also notes its records' identities
/// (<see cref="PieceIdentities"/>: eventID and hashes), so the writer's check costs it no parsing. Pieces and findings
/// are compressed with <c>codec</c> (<c>Pipeline:Compression</c>; zlib when none is given). With <c>ocsf</c>
/// (<c>Output:Format</c> ocsf), kept records are mapped to OCSF events instead, one piece per partition and class; a
/// kept record that cannot be mapped is put aside for the quarantine, naming the object, the record and why.
/// </summary>
internal sealed class FilterStage(
    int parallelism,
    IRuleSetProvider rules,
    bool partitionByRecord,
    bool buildPieces,
    CompressionLevel compressionLevel,
    PipelineCounters counters,
    ILogger logger,
    DetectionsRuntime? detections = null,
    bool recordIdentities = false,
    GzipCodec? codec = null,
    CloudTrailOcsfMapper? ocsf = null)
{
    public Task RunAsync(ChannelReader<ReadChunk> input, ChannelWriter<FilteredChunk> output, CancellationToken cancellationToken) =>
        StageWorkers.RunAsync(parallelism, () => Task.Run(() => FilterLoopAsync(input, output, cancellationToken), cancellationToken), output);

    private async Task FilterLoopAsync(ChannelReader<ReadChunk> input, ChannelWriter<FilteredChunk> output, CancellationToken cancellationToken)
    {
        var worker = new Worker(partitionByRecord, buildPieces, compressionLevel, detections, logger, recordIdentities, codec ?? GzipCodec.Zlib, ocsf);
        while (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (input.TryRead(out var chunk))
            {
                await output.WriteAsync(FilterOne(worker, chunk), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private FilteredChunk FilterOne(Worker worker, ReadChunk chunk)
    {
        if (chunk.Records is not { } records)
        {
            return new FilteredChunk(chunk.Object, chunk.Sequence) { End = chunk.End, Quarantined = chunk.Quarantined };
        }

        try
        {
            return worker.Filter(chunk.Object, chunk.Sequence, records, rules.Current, counters);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault here must not kill the worker: the object fails, its siblings go on.
            Log.FilterWorkerError(logger, ex, chunk.Object.Name);
            return new FilteredChunk(chunk.Object, chunk.Sequence) { Error = ex };
        }
        finally
        {
            records.Dispose();
        }
    }

    private static string AtByte(long offset) => offset < 0 ? string.Empty : $" (at byte {offset})";

    /// <summary>One worker's reusable state: per-rule and per-detection hit counts and the partition cache.</summary>
    private sealed class Worker(
        bool partitionByRecord, bool buildPieces, CompressionLevel compressionLevel, DetectionsRuntime? detections, ILogger logger, bool recordIdentities, GzipCodec codec,
        CloudTrailOcsfMapper? ocsf)
    {
        private readonly DetectionEngine? _engine = detections?.Engine;
        private readonly PartitionResolver _partitions = new();
        private readonly List<PieceBuilder> _builders = [];
        private readonly List<OcsfPieceBuilder> _ocsfBuilders = [];
        private int[] _hits = [];
        private int[] _detectionHits = [];
        private int[] _detectionHitCounts = [];

        // Reused chunk after chunk (its lines are compressed into the chunk's pieces before the next one starts).
        private readonly ChunkFindings _chunkFindings = new();

        public FilteredChunk Filter(TrackedObject obj, long sequence, RecordChunk chunk, CompiledRuleSet ruleSet, PipelineCounters counters)
        {
            if (_hits.Length != ruleSet.RuleNames.Count)
            {
                _hits = new int[ruleSet.RuleNames.Count];
            }

            Array.Clear(_hits);
            var detectionCount = ruleSet.DetectionCount;
            if (_detectionHits.Length != detectionCount)
            {
                _detectionHits = new int[detectionCount];
                _detectionHitCounts = new int[detectionCount];
            }

            Array.Clear(_detectionHitCounts);
            var tagging = _engine is not null && ruleSet.RuleActions.Contains(RuleAction.Tag);
            var findings = _chunkFindings;
            findings.Reset();
            int lateHits = 0, evictedGroups = 0, ungroupedHits = 0;
            int kept = 0, dropped = 0;
            List<QuarantinedRecord>? unmappable = null;
            var traceDrops = logger.IsEnabled(LogLevel.Trace);
            try
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    var record = chunk[i];
                    RuleDecision decision;
                    EvaluatedFields metadata;
                    var hitCount = 0;
                    try
                    {
                        decision = detectionCount == 0
                            ? ruleSet.Evaluate(record, out metadata)
                            : ruleSet.Evaluate(record, out metadata, _detectionHits, out hitCount);
                    }
                    catch (JsonException ex)
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.InvalidRecord,
                            $"record {chunk.FirstRecordIndex + i}{AtByte(chunk.OffsetOf(i))} is not valid JSON: {ex.Message}",
                            ex);
                    }

                    if (decision.RuleIndex >= 0)
                    {
                        _hits[decision.RuleIndex]++;
                    }

                    if (hitCount > 0)
                    {
                        var hits = _detectionHits.AsSpan(0, hitCount);
                        foreach (var hit in hits)
                        {
                            _detectionHitCounts[hit]++;

                            // A Sigma correlation counts the hits of the rules it reads (it is never evaluated itself).
                            foreach (var correlation in ruleSet.DetectionSet.CorrelationsFedBy(hit))
                            {
                                _detectionHitCounts[correlation]++;
                            }
                        }

                        if (_engine is not null)
                        {
                            var (late, evicted, ungrouped) = _engine.Raise(ruleSet.DetectionSet, record, metadata, hits, obj.Name, findings);
                            lateHits += late;
                            evictedGroups += evicted;
                            ungroupedHits += ungrouped;
                        }
                    }

                    if (tagging && decision.Action == RuleAction.Tag)
                    {
                        DetectionEngine.RaiseTag(
                            ruleSet.RuleNames[decision.RuleIndex], ruleSet.RuleSeverities[decision.RuleIndex], record, metadata, obj.Name, findings);
                    }

                    if (decision.Action == RuleAction.Drop)
                    {
                        dropped++;
                        if (traceDrops)
                        {
                            Log.RecordDropped(
                                logger, obj.Name, chunk.FirstRecordIndex + i, decision.RuleIndex >= 0 ? ruleSet.RuleNames[decision.RuleIndex] : "(default action)");
                        }

                        continue;
                    }

                    kept++;
                    if (!buildPieces)
                    {
                        continue;
                    }

                    var partition = partitionByRecord ? _partitions.Resolve(record, metadata) : PartitionKey.None;
                    if (ocsf is null)
                    {
                        BuilderFor(partition).Append(record, record[metadata.EventId]);
                        continue;
                    }

                    Core.Ocsf.Model.OcsfEvent mapped;
                    try
                    {
                        mapped = ocsf.Map(chunk.GetMemory(i));
                    }
                    catch (OcsfMappingException ex)
                    {
                        kept--;
                        (unmappable ??= []).Add(new QuarantinedRecord(
                            chunk.FirstRecordIndex + i, chunk.OffsetOf(i), record.Length, QuarantineKind.Unmappable, $"not mappable to OCSF: {ex.Message}", record.ToArray()));
                        continue;
                    }

                    OcsfBuilderFor(partition with { EventClass = mapped.ClassUid }).Append(mapped, record, record[metadata.EventId]);
                }

                var unmapped = unmappable?.Count ?? 0;
                var filtered = new FilteredChunk(obj, sequence) { Records = chunk.Count - unmapped, Kept = kept, Dropped = dropped, Unmappable = unmappable };
                counters.AddRuleHits(ruleSet.RuleNames, _hits);
                if (detectionCount > 0)
                {
                    counters.AddDetectionHits(ruleSet.DetectionSet.Detections, _detectionHitCounts);
                }

                if (lateHits > 0 || evictedGroups > 0 || ungroupedHits > 0)
                {
                    counters.AddDetectionState(lateHits, evictedGroups, ungroupedHits);
                }

                if (findings.Count > 0)
                {
                    filtered.Findings = FindingPiece.Build(findings, detections!.Layout, codec, compressionLevel);
                    var logFindings = logger.IsEnabled(LogLevel.Warning);
                    foreach (var finding in findings.Findings)
                    {
                        counters.AddFinding(finding.Detection.Name, finding.Detection.Severity);
                        if (logFindings)
                        {
                            Detections.Log.Finding(logger, finding.Detection.Name, finding.Detection.Severity, finding.EventId, finding.Account, obj.Name);
                        }
                    }
                }

                if (_builders.Count > 0)
                {
                    filtered.Pieces = new List<OutputPiece>(_builders.Count);
                    foreach (var builder in _builders)
                    {
                        filtered.Pieces.Add(builder.Build());
                    }
                }

                if (_ocsfBuilders.Count > 0)
                {
                    filtered.Pieces = new List<OutputPiece>(_ocsfBuilders.Count);
                    foreach (var builder in _ocsfBuilders)
                    {
                        filtered.Pieces.Add(builder.Build());
                    }
                }

                return filtered;
            }
            finally
            {
                foreach (var builder in _builders)
                {
                    builder.Dispose();
                }

                _builders.Clear();
                foreach (var builder in _ocsfBuilders)
                {
                    builder.Dispose();
                }

                _ocsfBuilders.Clear();
            }
        }

        private OcsfPieceBuilder OcsfBuilderFor(PartitionKey partition)
        {
            foreach (var builder in _ocsfBuilders)
            {
                if (builder.Partition == partition)
                {
                    return builder;
                }
            }

            var created = new OcsfPieceBuilder(partition, recordIdentities);
            _ocsfBuilders.Add(created);
            return created;
        }

        private PieceBuilder BuilderFor(PartitionKey partition)
        {
            foreach (var builder in _builders)
            {
                if (builder.Partition == partition)
                {
                    return builder;
                }
            }

            var created = new PieceBuilder(partition, compressionLevel, recordIdentities, codec);
            _builders.Add(created);
            return created;
        }
    }
}
