using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Compaction;

/// <summary>Publishing a partition's new Parquet: new names first, the earlier generations deleted last.</summary>
public sealed partial class Compactor
{
    private async Task<List<StoredObject>> PublishAsync(DayPartition partition, List<string> files, List<CompactedFile> existing, CancellationToken cancellationToken)
    {
        var generation = existing.Count == 0 ? 1 : existing.Max(e => e.Generation) + 1;
        var published = new List<StoredObject>();
        for (var i = 0; i < files.Count; i++)
        {
            var key = partition.HivePath + CompactedFile.Name(generation, i);
            await output.UploadAsync(files[i], key, ParquetContentType, cancellationToken).ConfigureAwait(false);
            published.Add(new StoredObject(key, new FileInfo(files[i]).Length));
        }

        // Only now, with the whole new set in place: every earlier file is of an older generation, and goes.
        if (existing.Count > 0)
        {
            await output.DeleteAsync([.. existing.Select(e => e.Object.Key)], cancellationToken).ConfigureAwait(false);
        }

        return published;
    }
}
