using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Compaction;

/// <summary>
/// Merges each day partition's gzip JSON objects into a few zstd Parquet files under the Hive layout of the output,
/// <c>account=/region=/year=/month=/day=/compacted-gGGGGGG-NNNN.parquet</c>. A partition at a time, so memory and
/// spool are bounded by one partition (and the spool limit), and DuckDB spills sorts past its memory limit.
/// </summary>
/// <remarks>
/// Idempotent: the partition's earlier compacted files are read in and replaced, with records deduplicated by identity
/// (every column the Parquet holds, eventID among them: <see cref="IdentityColumns"/>), so a rerun over the same
/// sources rewrites the same records, and a run after sources were deleted keeps what the earlier run wrote. Never by
/// eventID alone: distinct records share one in the real corpus (even with the same eventTime, eventSource and
/// eventName), and with <c>--delete-source</c> the one dropped would be gone. A record without an eventID is never merged. Sources are deleted only when the Parquet read back holds exactly the expected records. A bad
/// object fails its partition (sources kept) and the others go on; a store that cannot be used stops the run.
/// Publishing is crash-safe (see <see cref="CompactedFile"/>): the new files get the next generation's names, and the
/// earlier generation is deleted only once all of them are in place.
/// </remarks>
public sealed partial class Compactor(IObjectStore input, IObjectStore output, CompactOptions options, EngineOptions engineOptions, TextWriter progress)
{
    private const string ParquetContentType = "application/vnd.apache.parquet";

    /// <summary>
    /// What makes two rows one record: all the record columns. Rows equal in all of them are the same record delivered
    /// twice (or read from both a source and an earlier compacted file); nothing the Parquet could hold tells them apart.
    /// </summary>
    private static readonly string IdentityColumns = CloudTrailView.RecordColumns;

    /// <exception cref="StoreException">The input or output cannot be used (not one object gone: that fails its partition).</exception>
    public async Task<CompactSummary> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var partitions = new Dictionary<DayPartition, List<StoredObject>>();
        var outside = 0;
        await foreach (var item in input.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            if (DataFiles.Kind(item.Key) != DataFileKind.Json)
            {
                continue;
            }

            if (DayPartition.FromKey(item.Key) is not { } partition)
            {
                outside++;
                continue;
            }

            if (options.Includes(partition))
            {
                (partitions.TryGetValue(partition, out var list) ? list : partitions[partition] = []).Add(item);
            }
        }

        using var spool = new Spool(Path.Combine(options.SpoolDirectory, Guid.NewGuid().ToString("N")), options.SpoolLimitBytes);
        var results = new List<PartitionResult>();
        foreach (var (partition, objects) in partitions.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            var result = await CompactPartitionAsync(partition, objects, spool, cancellationToken).ConfigureAwait(false);
            progress.WriteLine(result.Failed
                ? $"compact {partition}: FAILED, sources kept: {result.Error}"
                : string.Create(CultureInfo.InvariantCulture, $"compact {partition}: {result.Sources} objects{(result.PreviousFiles > 0 ? $" + {result.PreviousFiles} earlier parquet" : string.Empty)}, {result.SourceRecords} records read -> {result.Files} parquet files, {result.WrittenRecords} records ({result.WrittenBytes / 1e6:F1} MB), verified{(options.DeleteSource ? ", sources deleted" : string.Empty)}"));
            results.Add(result);
        }

        return new CompactSummary(results, outside, Stopwatch.GetElapsedTime(started));
    }

    private async Task<PartitionResult> CompactPartitionAsync(DayPartition partition, List<StoredObject> objects, Spool spool, CancellationToken cancellationToken)
    {
        var work = Path.Combine(spool.Directory, "work");
        var sourceBytes = objects.Sum(o => o.Size);
        var fetched = new List<string>();
        try
        {
            var existing = await CompactedFile.ListAsync(output, partition, cancellationToken).ConfigureAwait(false);
            var remote = (input.IsLocal ? 0 : sourceBytes) + (output.IsLocal ? 0 : existing.Sum(e => e.Object.Size));
            spool.EnsureRoom(objects.Count + existing.Count, remote, $"partition {partition}");
            var json = await spool.FetchAsync(input, objects, $"partition {partition}", cancellationToken).ConfigureAwait(false);
            fetched.AddRange(json);
            var previous = await spool.FetchAsync(output, [.. existing.Select(e => e.Object)], $"partition {partition}", cancellationToken).ConfigureAwait(false);
            fetched.AddRange(previous);
            var written = Path.Combine(work, "new");
            long sourceRecords;
            long writtenRecords;
            using (var engine = new AnalyticsEngine(engineOptions with { TempDirectory = Path.Combine(work, "tmp") }))
            {
                var files = new DataFiles(json, [], objects.Max(o => o.Size));
                var union = CloudTrailView.JsonRecordsSelect(files.Json, files.MaximumObjectBytes);
                if (previous.Count > 0)
                {
                    union += " UNION ALL BY NAME " + CloudTrailView.ParquetRecordsSelect(previous);
                }

                // Parsed once into a table (DuckDB spills it past its memory limit); the checks, counts and the COPY read that.
                engine.Execute($"CREATE OR REPLACE TEMP TABLE partition_records AS {union}");
                if (CheckSources(engine, files) is { } problem)
                {
                    return Failed(partition, objects.Count, sourceBytes, spool.Rename(problem));
                }

                sourceRecords = engine.Scalar<long>("SELECT count(*) FROM partition_records");
                var expected = engine.Scalar<long>(
                    $"SELECT (SELECT count(*) FROM (SELECT DISTINCT {IdentityColumns} FROM partition_records WHERE eventid IS NOT NULL)) + (SELECT count(*) FROM partition_records WHERE eventid IS NULL)");
                var rowGroupBytes = Math.Min(options.TargetFileBytes, 128L * 1000 * 1000);
                engine.Execute($"""
                    COPY (
                        SELECT {CloudTrailView.RecordColumns} FROM partition_records
                        QUALIFY eventid IS NULL OR row_number() OVER (PARTITION BY {IdentityColumns} ORDER BY file) = 1
                        ORDER BY eventtime, eventid
                    ) TO {Sql.Literal(written)} (
                        FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES {Sql.Number(options.TargetFileBytes)},
                        ROW_GROUP_SIZE 1000000, ROW_GROUP_SIZE_BYTES {Sql.Number(rowGroupBytes)}, FILENAME_PATTERN 'part_{"{i}"}')
                    """);
                var newFiles = NewFiles(written);
                writtenRecords = newFiles.Count == 0 ? 0 : engine.Scalar<long>($"SELECT count(*) FROM read_parquet({Sql.List(newFiles)})");
                if (writtenRecords != expected)
                {
                    return Failed(partition, objects.Count, sourceBytes, string.Create(CultureInfo.InvariantCulture, $"wrote {writtenRecords} records, expected {expected}; nothing published"));
                }
            }

            var published = await PublishAsync(partition, NewFiles(written), existing, cancellationToken).ConfigureAwait(false);
            if (options.DeleteSource)
            {
                await input.DeleteAsync([.. objects.Select(o => o.Key)], cancellationToken).ConfigureAwait(false);
            }

            return new PartitionResult(partition, objects.Count, sourceBytes, existing.Count, sourceRecords, writtenRecords, published.Count, published.Sum(p => p.Size), null);
        }
        catch (Exception ex) when (ex is DuckDBException or IOException || ex is StoreException { Failure: StoreFailure.ObjectMissing })
        {
            return Failed(partition, objects.Count, sourceBytes, spool.Rename(ex.Message));
        }
        finally
        {
            spool.Release(fetched);
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>
    /// Is every source CloudTrail (a <c>Records</c> array)? The first one that is not, or null. A source gave rows to
    /// <c>partition_records</c> only if it has records, so only the sources that gave none are read again, to tell
    /// <c>{"Records":[]}</c> (fine) from a file without the array (a digest, someone else's JSON).
    /// </summary>
    private static string? CheckSources(AnalyticsEngine engine, DataFiles files)
    {
        var empty = new List<string>();
        using (var reader = engine.Query($"SELECT f FROM unnest({Sql.List(files.Json)}) AS sources(f) WHERE f NOT IN (SELECT DISTINCT file FROM partition_records WHERE file IS NOT NULL) ORDER BY f"))
        {
            while (reader.Read())
            {
                empty.Add(reader.GetString(0));
            }
        }

        if (empty.Count == 0)
        {
            return null;
        }

        using var check = engine.Query($"SELECT filename FROM {CloudTrailView.ReadJson(empty, files.MaximumObjectBytes)} WHERE Records IS NULL ORDER BY filename LIMIT 1");
        return check.Read() ? $"{check.GetString(0)}: not a CloudTrail file (no \"Records\" array)" : null;
    }

    private static List<string> NewFiles(string folder) =>
        Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.parquet").Order(StringComparer.Ordinal)] : [];

    private static PartitionResult Failed(DayPartition partition, int sources, long bytes, string error) =>
        new(partition, sources, bytes, 0, 0, 0, 0, 0, error.ReplaceLineEndings(" "));
}
