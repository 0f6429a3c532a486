using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Output;

/// <summary>
/// Exactly-once batch output: one marker per source object (bucket, key, ETag) under <c>{prefix}_ledger/</c> in the
/// output bucket, naming the batch that holds each of its output partitions. The batch writer claims an object before
/// it appends the object's records: a conditional create; if a marker exists and every batch it names is durable, the
/// object is already delivered; if not and the claim is younger than the lease, another worker holds it (retry later);
/// an older claim is taken over with a replace conditional on the marker's ETag. See docs/design/acknowledgement.md.
/// A store that ignores the conditions (some S3-compatible stores, the test emulator) is found by a probe at the first
/// claim; the ledger then reads each marker before writing it, which still stops redeliveries but not two workers
/// claiming the same object at the same instant (logged as a warning, event 125).
/// </summary>
internal sealed class DeliveryLedger(ILedgerStore store, string prefix, TimeSpan lease, PipelineCounters counters, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>The ledger's folder under the output prefix.</summary>
    public const string Folder = "_ledger/";

    /// <summary>Rounds of read and conditional write before a contended claim gives up (and is retried with its message).</summary>
    private const int Rounds = 4;

    private const int MaxKeyBytes = 1024;

    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Whether the store enforces conditional writes; null until probed (at the first claim).</summary>
    private bool? _conditional;

    public TimeSpan Lease => lease;

    /// <summary>A batch is committed only this soon after its first claim, so no claim of it can have been taken over by the time it is durable.</summary>
    public TimeSpan CommitDeadline => lease / 2;

    public string Describe(string key) => store.Describe(key);

    /// <summary>The marker key of the object <paramref name="key"/> in <paramref name="bucket"/> at <paramref name="version"/> (its ETag).</summary>
    public string MarkerKey(string bucket, string key, string? version)
    {
        var etag = version is null ? "unversioned" : new string(version.Where(char.IsAsciiLetterOrDigit).ToArray());
        var marker = $"{prefix}{Folder}{bucket}/{key}/{etag}";
        if (Encoding.UTF8.GetByteCount(marker) <= MaxKeyBytes)
        {
            return marker;
        }

        // S3 keys stop at 1024 bytes: a source key that long is named by its hash.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return $"{prefix}{Folder}{bucket}/sha256/{hash}/{etag}";
    }

    /// <summary>
    /// Claims the object for <paramref name="batches"/> (output partition → the batch key its records go to).
    /// </summary>
    /// <exception cref="ObjectClaimedException">Another live worker holds the object, or the claim stayed contended: retry later.</exception>
    /// <exception cref="IOException">The ledger could not be read or written (names the marker and the reason).</exception>
    public async Task<LedgerClaim> ClaimAsync(string bucket, string key, string? version, IReadOnlyDictionary<string, string> batches, CancellationToken cancellationToken)
    {
        var markerKey = MarkerKey(bucket, key, version);
        var mine = new LedgerMarker(RandomNumberGenerator.GetHexString(32, lowercase: true), _worker, timeProvider.GetUtcNow(), batches);
        try
        {
            _conditional ??= await ProbeAsync(cancellationToken).ConfigureAwait(false);
            if (_conditional == true)
            {
                // One request in the usual case: the create is the check.
                var created = await store.TryCreateAsync(markerKey, mine.ToJson(), cancellationToken).ConfigureAwait(false);
                if (created is not null)
                {
                    return Claimed("new", mine, FrozenSet<string>.Empty, markerKey, created);
                }
            }

            IReadOnlySet<string> durable = FrozenSet<string>.Empty;
            for (var round = 0; round < Rounds; round++)
            {
                var entry = await store.ReadAsync(markerKey, cancellationToken).ConfigureAwait(false);
                if (entry is null)
                {
                    // No marker (or removed since the create failed): create it.
                    var created = await store.TryCreateAsync(markerKey, mine.ToJson(), cancellationToken).ConfigureAwait(false);
                    if (created is not null)
                    {
                        return Claimed("new", mine, FrozenSet<string>.Empty, markerKey, created);
                    }

                    continue;
                }

                var theirs = LedgerMarker.Parse(entry.Body);
                if (theirs?.Token == mine.Token)
                {
                    // Our own write, whose response was lost and whose retry met it.
                    return Claimed("new", theirs, FrozenSet<string>.Empty, markerKey, entry.ETag);
                }

                durable = await DurableAsync(theirs, cancellationToken).ConfigureAwait(false);
                if (theirs is { Batches.Count: > 0 } && durable.Count == theirs.Batches.Count)
                {
                    counters.AddLedgerClaim("delivered");
                    return new LedgerClaim(Delivered: true, durable, theirs.Batches, markerKey, MarkerETag: null);
                }

                var age = timeProvider.GetUtcNow() - entry.LastModified;
                if (age < lease)
                {
                    counters.AddLedgerClaim("held");
                    throw new ObjectClaimedException(
                        $"s3://{bucket}/{key} is claimed by {theirs?.Worker ?? "an unreadable marker"} ({store.Describe(markerKey)}, {age.TotalSeconds:F0} s ago) " +
                        $"for {string.Join(", ", theirs?.Batches.Values.Select(store.Describe) ?? [])}, not durable yet: retried once that is committed or the claim lease ({lease}) has passed")
                    {
                        // Released until the lease ends, so a crashed claim costs a receive or two, not the DLQ.
                        RetryAfter = lease - age + TimeSpan.FromSeconds(1),
                    };
                }

                // The claim outlived its lease without its batch appearing: its worker is gone, or gave the batch up.
                var merged = new Dictionary<string, string>(batches, StringComparer.Ordinal);
                foreach (var partition in durable)
                {
                    merged[partition] = theirs!.Batches[partition];
                }

                mine = mine with { Claimed = timeProvider.GetUtcNow(), Batches = merged };
                var replaced = await store.TryReplaceAsync(markerKey, entry.ETag, mine.ToJson(), cancellationToken).ConfigureAwait(false);
                if (replaced is not null)
                {
                    return Claimed("takeover", mine, durable, markerKey, replaced);
                }
            }

            // The last replace may have landed although it answered 412 (a retry meeting its own first attempt).
            var last = await store.ReadAsync(markerKey, cancellationToken).ConfigureAwait(false);
            if (last is not null && LedgerMarker.Parse(last.Body)?.Token == mine.Token)
            {
                return Claimed("takeover", mine, durable, markerKey, last.ETag);
            }

            counters.AddLedgerClaim("contended");
            throw new ObjectClaimedException($"s3://{bucket}/{key}: the claim {store.Describe(markerKey)} changed under every one of {Rounds} attempts: retried later");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ObjectClaimedException)
        {
            throw new IOException($"delivery ledger {store.Describe(markerKey)} for s3://{bucket}/{key}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Points this worker's claim at other batches (an open batch was committed between the claim and the append), so
    /// the marker always names the batch that holds the records.
    /// </summary>
    /// <exception cref="ObjectClaimedException">The marker is no longer this worker's.</exception>
    public async Task<LedgerClaim> RepointAsync(LedgerClaim claim, IReadOnlyDictionary<string, string> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var marker = new LedgerMarker(RandomNumberGenerator.GetHexString(32, lowercase: true), _worker, timeProvider.GetUtcNow(), batches);
        var replaced = await store.TryReplaceAsync(claim.MarkerKey, claim.MarkerETag!, marker.ToJson(), cancellationToken).ConfigureAwait(false)
            ?? throw new ObjectClaimedException($"the claim {store.Describe(claim.MarkerKey)} changed before its records were appended: retried later");
        return claim with { Batches = batches, MarkerETag = replaced };
    }

    /// <summary>
    /// Whether a create of a key that surely exists fails, as S3's If-None-Match makes it: the probe key is created (or
    /// found) once, then created again. A fixed key, so probes of many workers leave one small object.
    /// </summary>
    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var probe = $"{prefix}{Folder}_probe";
        var body = new LedgerMarker("probe", _worker, timeProvider.GetUtcNow(), new Dictionary<string, string>()).ToJson();
        await store.TryCreateAsync(probe, body, cancellationToken).ConfigureAwait(false);
        var enforced = await store.TryCreateAsync(probe, body, cancellationToken).ConfigureAwait(false) is null;
        if (!enforced)
        {
            Pipeline.Log.ConditionalWritesIgnored(logger, store.Describe(probe));
        }

        return enforced;
    }

    private LedgerClaim Claimed(string how, LedgerMarker marker, IReadOnlySet<string> durable, string markerKey, string etag)
    {
        counters.AddLedgerClaim(how);
        return new LedgerClaim(Delivered: false, durable, marker.Batches, markerKey, etag);
    }

    /// <summary>The partitions of <paramref name="marker"/> whose batch exists.</summary>
    private async Task<HashSet<string>> DurableAsync(LedgerMarker? marker, CancellationToken cancellationToken)
    {
        var durable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (partition, batch) in marker?.Batches ?? new Dictionary<string, string>())
        {
            if (await store.ExistsAsync(batch, cancellationToken).ConfigureAwait(false))
            {
                durable.Add(partition);
            }
        }

        return durable;
    }
}
