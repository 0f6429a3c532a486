using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using TrailSieve.Worker.Aws;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// What a backfill has finished, so a rerun after a crash or a Spot interruption skips it: whole day partitions once
/// every object in them is done, and single objects of partitions still in progress. An object counts as done only
/// once its output is durable (or its message is sent), never when it was merely read. The document records the
/// source and the target it belongs to; a rerun against another source or target is refused rather than skipping
/// work that was never done for it.
/// </summary>
internal sealed class BackfillCheckpoint : IDisposable
{
    private const int Version = 1;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _saveGate = new(1, 1);
    private readonly ICheckpointStore? _store;
    private readonly Dictionary<string, (long Objects, long Bytes)> _partitions;
    private readonly HashSet<string> _objects;
    private readonly FrozenSet<string> _partitionsBefore;
    private readonly FrozenSet<string> _objectsBefore;
    private long _changes;
    private long _savedChanges;

    private readonly TimeProvider _timeProvider;

    private BackfillCheckpoint(ICheckpointStore? store, string source, string target, Dictionary<string, (long, long)> partitions, HashSet<string> objects, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _store = store;
        Source = source;
        Target = target;
        _partitions = partitions;
        _objects = objects;
        _partitionsBefore = partitions.Keys.ToFrozenSet(StringComparer.Ordinal);
        _objectsBefore = objects.ToFrozenSet(StringComparer.Ordinal);
        PartitionsAtStart = partitions.Count;
        ObjectsAtStart = objects.Count;
    }

    public string Source { get; }

    public string Target { get; }

    /// <summary>Where it is kept, or null when the run keeps none.</summary>
    public string? Location => _store?.Location;

    /// <summary>Partitions finished by earlier runs.</summary>
    public int PartitionsAtStart { get; }

    /// <summary>Objects of unfinished partitions finished by earlier runs.</summary>
    public int ObjectsAtStart { get; }

    /// <summary>A run without a checkpoint: nothing is skipped and nothing is saved.</summary>
    public static BackfillCheckpoint None(string source, string target) => new(null, source, target, [], []);

    /// <summary>Loads the checkpoint, or starts an empty one when the store has none yet.</summary>
    /// <exception cref="BackfillException">The store cannot be read, or the document is not a checkpoint, or belongs to another source or target.</exception>
    public static async Task<BackfillCheckpoint> LoadAsync(ICheckpointStore store, string source, string target, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new BackfillException($"checkpoint {store.Location}: reading it failed: {AwsErrors.Explain(ex)}", ex);
        }

        if (bytes is null)
        {
            return new BackfillCheckpoint(store, source, target, [], [], timeProvider);
        }

        var partitions = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        var objects = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                throw new BackfillException($"checkpoint {store.Location}: version {root.GetProperty("version")} is not {Version}");
            }

            var savedSource = root.GetProperty("source").GetString();
            var savedTarget = root.GetProperty("target").GetString();
            if (savedSource != source || savedTarget != target)
            {
                throw new BackfillException(
                    $"checkpoint {store.Location} belongs to another backfill ({savedSource} → {savedTarget}), not {source} → {target}; give this run its own --checkpoint");
            }

            foreach (var partition in root.GetProperty("partitions").EnumerateObject())
            {
                partitions[partition.Name] = (partition.Value.GetProperty("objects").GetInt64(), partition.Value.GetProperty("bytes").GetInt64());
            }

            foreach (var key in root.GetProperty("objects").EnumerateArray())
            {
                objects.Add(key.GetString()!);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BackfillException($"checkpoint {store.Location} is not a TrailSieve backfill checkpoint: {ex.Message}", ex);
        }

        return new BackfillCheckpoint(store, source, target, partitions, objects, timeProvider);
    }

    /// <summary>
    /// Whether an earlier run finished the partition, so this run skips it. Unlike <see cref="IsPartitionDone"/> it
    /// does not move while this run marks its own work: both walks judge every partition and object the same way
    /// whenever they come to it.
    /// </summary>
    public bool WasPartitionDone(string id) => _partitionsBefore.Contains(id);

    /// <summary>
    /// Whether an earlier run finished the object, so this run skips it. The live set cannot answer that for the
    /// counting walk, which runs beside the work walk: once this run finishes the object's partition, the partition's
    /// single objects leave the set (<see cref="MarkPartition"/>), and an object skipped by the work walk would be
    /// counted as still to do.
    /// </summary>
    public bool WasObjectDone(string key) => _objectsBefore.Contains(key);

    public bool IsPartitionDone(string id)
    {
        lock (_lock)
        {
            return _partitions.ContainsKey(id);
        }
    }

    public bool IsObjectDone(string key)
    {
        lock (_lock)
        {
            return _objects.Contains(key);
        }
    }

    /// <summary>Records one finished object of a partition still in progress.</summary>
    public void MarkObject(string key)
    {
        lock (_lock)
        {
            if (_objects.Add(key))
            {
                _changes++;
            }
        }
    }

    /// <summary>Records a finished partition; its single objects are no longer needed.</summary>
    public void MarkPartition(string id, long objects, long bytes, IEnumerable<string> keys)
    {
        lock (_lock)
        {
            _partitions[id] = (objects, bytes);
            foreach (var key in keys)
            {
                _objects.Remove(key);
            }

            _changes++;
        }
    }

    /// <summary>Writes the document when something changed since the last save.</summary>
    /// <exception cref="BackfillException">The store cannot be written; the message names it and says why.</exception>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        await _saveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SaveUnderGateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _saveGate.Release();
        }
    }

    private async Task SaveUnderGateAsync(CancellationToken cancellationToken)
    {
        long changes;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        lock (_lock)
        {
            changes = _changes;
            if (changes == _savedChanges)
            {
                return;
            }

            using var json = new Utf8JsonWriter(buffer);
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("source", Source);
            json.WriteString("target", Target);
            json.WriteString("updated", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartObject("partitions");
            foreach (var (id, (objects, bytes)) in _partitions.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(id);
                json.WriteNumber("objects", objects);
                json.WriteNumber("bytes", bytes);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartArray("objects");
            foreach (var key in _objects.Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(key);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        try
        {
            await _store!.SaveAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new BackfillException($"checkpoint {_store!.Location}: saving it failed: {AwsErrors.Explain(ex)}", ex);
        }

        lock (_lock)
        {
            _savedChanges = Math.Max(_savedChanges, changes);
        }
    }

    public void Dispose() => _saveGate.Dispose();

    /// <summary>What a store throws when its file or object cannot be used (a refusal is already a <see cref="BackfillException"/>).</summary>
    private static bool IsStoreFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException || AwsErrors.IsAwsFailure(exception);
}
