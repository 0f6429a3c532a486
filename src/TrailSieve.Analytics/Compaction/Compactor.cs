using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;
using TrailSieve.Core.Analytics;

namespace TrailSieve.Analytics.Compaction;

/// <summary>
/// Merges each day partition's gzip JSON objects into a few zstd Parquet files under the Hive layout of the output,
/// <c>account=/region=/year=/month=/day=/compacted-NNNN.parquet</c>. A partition at a time, so memory and spool are
/// bounded by one partition and DuckDB spills sorts past its memory limit.
/// </summary>
/// <remarks>
/// Idempotent: the names depend on the partition only, and the partition's earlier compacted files are read in and
/// replaced, with records deduplicated by eventID. A rerun over the same sources rewrites the same records, and a
/// run after sources were deleted keeps what the earlier run wrote. Sources are deleted only when the Parquet read back
/// holds exactly the expected records. A bad object fails its partition (sources kept) and the others go on.
/// </remarks>
public sealed class Compactor(IObjectStore input, IObjectStore output, CompactOptions options, EngineOptions engineOptions, TextWriter progress)
{
    public const string FilePrefix = "compacted-";

    private const string ParquetContentType = "application/vnd.apache.parquet";

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

        var results = new List<PartitionResult>();
        foreach (var (partition, objects) in partitions.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            var result = await CompactPartitionAsync(partition, objects, cancellationToken).ConfigureAwait(false);
            progress.WriteLine(result.Failed
                ? $"compact {partition}: FAILED, sources kept: {result.Error}"
                : string.Create(CultureInfo.InvariantCulture, $"compact {partition}: {result.Sources} objects{(result.PreviousFiles > 0 ? $" + {result.PreviousFiles} earlier parquet" : string.Empty)}, {result.SourceRecords} records read -> {result.Files} parquet files, {result.WrittenRecords} records ({result.WrittenBytes / 1e6:F1} MB), verified{(options.DeleteSource ? ", sources deleted" : string.Empty)}"));
            results.Add(result);
        }

        return new CompactSummary(results, outside, Stopwatch.GetElapsedTime(started));
    }

    private async Task<PartitionResult> CompactPartitionAsync(DayPartition partition, List<StoredObject> objects, CancellationToken cancellationToken)
    {
        var spool = Path.Combine(options.SpoolDirectory, Guid.NewGuid().ToString("N"));
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var sourceBytes = objects.Sum(o => o.Size);
        try
        {
            Directory.CreateDirectory(spool);
            var existing = new List<string>();
            await foreach (var item in output.ListAsync(partition.HivePath, cancellationToken).ConfigureAwait(false))
            {
                if (IsCompactedFile(partition, item.Key))
                {
                    existing.Add(item.Key);
                }
            }

            var json = await LocalizeAsync(input, objects.Select(o => o.Key), Path.Combine(spool, "src"), ".json.gz", names, cancellationToken).ConfigureAwait(false);
            var previous = await LocalizeAsync(output, existing, Path.Combine(spool, "old"), ".parquet", names, cancellationToken).ConfigureAwait(false);
            var written = Path.Combine(spool, "new");
            long sourceRecords;
            long writtenRecords;
            using (var engine = new AnalyticsEngine(engineOptions with { TempDirectory = Path.Combine(spool, "tmp") }))
            {
                var files = new DataFiles(json, [], objects.Max(o => o.Size));
                if (CheckSources(engine, files) is { } problem)
                {
                    return Failed(partition, objects.Count, sourceBytes, Rename(problem, names));
                }

                var union = CloudTrailView.JsonRecordsSelect(files.Json, files.MaximumObjectBytes);
                if (previous.Count > 0)
                {
                    union += $" UNION ALL BY NAME SELECT {Columns}, filename AS file FROM read_parquet({Sql.List(previous)}, filename = true, union_by_name = true)";
                }

                // Parsed once into a table (DuckDB spills it past its memory limit); the counts and the COPY read that.
                engine.Execute($"CREATE TEMP TABLE partition_records AS {union}");
                sourceRecords = engine.Scalar<long>("SELECT count(*) FROM partition_records");
                var expected = engine.Scalar<long>("SELECT count(DISTINCT eventid) + count(*) FILTER (WHERE eventid IS NULL) FROM partition_records");
                var rowGroupBytes = Math.Min(options.TargetFileBytes, 128L * 1000 * 1000);
                engine.Execute($"""
                    COPY (
                        SELECT {Columns} FROM partition_records
                        QUALIFY eventid IS NULL OR row_number() OVER (PARTITION BY eventid ORDER BY file) = 1
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
        catch (DuckDBException ex)
        {
            return Failed(partition, objects.Count, sourceBytes, Rename(ex.Message, names));
        }
        catch (IOException ex)
        {
            return Failed(partition, objects.Count, sourceBytes, Rename(ex.Message, names));
        }
        finally
        {
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }

    /// <summary>Per source file: can it be read, and is it CloudTrail (a <c>Records</c> array)? The first problem, or null.</summary>
    private static string? CheckSources(AnalyticsEngine engine, DataFiles files)
    {
        using var reader = engine.Query($"SELECT filename FROM {CloudTrailView.ReadJson(files.Json, files.MaximumObjectBytes)} WHERE Records IS NULL ORDER BY filename LIMIT 1");
        return reader.Read() ? $"{reader.GetString(0)}: not a CloudTrail file (no \"Records\" array)" : null;
    }

    private async Task<List<StoredObject>> PublishAsync(DayPartition partition, List<string> files, List<string> existing, CancellationToken cancellationToken)
    {
        var published = new List<StoredObject>();
        for (var i = 0; i < files.Count; i++)
        {
            var key = partition.HivePath + string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{i:D4}.parquet");
            await output.UploadAsync(files[i], key, ParquetContentType, cancellationToken).ConfigureAwait(false);
            published.Add(new StoredObject(key, new FileInfo(files[i]).Length));
        }

        var stale = existing.Where(e => !published.Any(p => p.Key == e)).ToList();
        if (stale.Count > 0)
        {
            await output.DeleteAsync(stale, cancellationToken).ConfigureAwait(false);
        }

        return published;
    }

    private static async Task<List<string>> LocalizeAsync(
        IObjectStore store, IEnumerable<string> keys, string folder, string extension, Dictionary<string, string> names, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        foreach (var key in keys)
        {
            if (store.IsLocal)
            {
                paths.Add(store.LocalPath(key));
                continue;
            }

            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{paths.Count:D6}{extension}"));
            await store.DownloadAsync(key, path, cancellationToken).ConfigureAwait(false);
            names[path] = $"{store.Root}{key}";
            paths.Add(path);
        }

        return paths;
    }

    private static List<string> NewFiles(string folder) =>
        Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.parquet").Order(StringComparer.Ordinal)] : [];

    private static bool IsCompactedFile(DayPartition partition, string key) =>
        key.StartsWith(partition.HivePath, StringComparison.Ordinal)
        && key.LastIndexOf('/') == partition.HivePath.Length - 1
        && key[partition.HivePath.Length..].StartsWith(FilePrefix, StringComparison.Ordinal)
        && key.EndsWith(".parquet", StringComparison.Ordinal);

    /// <summary>Error messages name the spool copy of an S3 object; put the object's address back.</summary>
    private static string Rename(string message, Dictionary<string, string> names) =>
        names.Aggregate(message, (text, pair) => text.Replace(pair.Key, pair.Value, StringComparison.Ordinal));

    private static PartitionResult Failed(DayPartition partition, int sources, long bytes, string error) =>
        new(partition, sources, bytes, 0, 0, 0, 0, 0, error.ReplaceLineEndings(" "));

    private static string Columns { get; } = string.Join(", ", CloudTrailTable.Columns.Select(c => c.Name));
}
