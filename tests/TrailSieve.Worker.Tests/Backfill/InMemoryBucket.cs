using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Tests.Backfill;

/// <summary>A bucket in memory that lists like S3 (sorted keys, delimiter folders) and counts every call.</summary>
internal sealed class InMemoryBucket(string name) : IObjectLister
{
    public string Name => name;

    public SortedDictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> FolderListings { get; } = new();

    public ConcurrentQueue<string> ObjectListings { get; } = new();

    public ConcurrentDictionary<string, int> Opens { get; } = new(StringComparer.Ordinal);

    /// <summary>Called before each object is opened: throw to fail it.</summary>
    public Action<string>? BeforeOpen { get; set; }

    /// <summary>Awaited before each folder listing answers (by prefix): to hold listings and see them overlap.</summary>
    public Func<string, Task>? BeforeFolderListing { get; set; }

    public async IAsyncEnumerable<string> ListFoldersAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Assert.Equal(name, bucket);
        FolderListings.Enqueue(prefix);
        await Task.Yield();
        if (BeforeFolderListing is { } hold)
        {
            await hold(prefix);
        }

        string[] keys;
        lock (Objects)
        {
            keys = [.. Objects.Keys];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slash = key.IndexOf('/', prefix.Length);
            if (slash >= 0 && seen.Add(key[..(slash + 1)]))
            {
                yield return key[..(slash + 1)];
            }
        }
    }

    public async IAsyncEnumerable<ListedObject> ListObjectsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Assert.Equal(name, bucket);
        ObjectListings.Enqueue(prefix);
        await Task.Yield();
        KeyValuePair<string, byte[]>[] items;
        lock (Objects)
        {
            items = [.. Objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))];
        }

        foreach (var (key, bytes) in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ListedObject(key, bytes.Length);
        }
    }

    public void Put(string key, byte[] bytes)
    {
        lock (Objects)
        {
            Objects[key] = bytes;
        }
    }

    /// <summary>The SourceObject the S3 source would create, reading from this bucket.</summary>
    public SourceObject Work(ObjectRef reference, BackfillItem origin) => new()
    {
        Name = $"s3://{reference.Bucket}/{reference.Key}",
        Key = reference.Key,
        OutputKey = reference.Key,
        Origin = origin,
        OpenAsync = _ =>
        {
            Opens.AddOrUpdate(reference.Key, 1, (_, n) => n + 1);
            BeforeOpen?.Invoke(reference.Key);
            byte[] bytes;
            lock (Objects)
            {
                bytes = Objects[reference.Key];
            }

            return Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        },
    };
}

/// <summary>A checkpoint store in memory, counting saves.</summary>
internal sealed class MemoryCheckpointStore : ICheckpointStore
{
    public byte[]? Document { get; set; }

    public int Saves;

    public string Location => "mem://checkpoint.json";

    public Task<byte[]?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Document);

    /// <summary>Thrown by every save when set.</summary>
    public Exception? SaveFailure { get; set; }

    public Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        if (SaveFailure is { } failure)
        {
            throw failure;
        }

        Document = document.ToArray();
        Interlocked.Increment(ref Saves);
        return Task.CompletedTask;
    }
}

/// <summary>SendMessageBatch in memory: refuses entries when told to, and can hold calls to see them overlap.</summary>
internal sealed class FakeSender : IMessageSender
{
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentQueue<IReadOnlyList<OutgoingMessage>> Calls { get; } = new();

    public ConcurrentQueue<string> Accepted { get; } = new();

    /// <summary>Decides per body whether SQS refuses it (and whether as the sender's fault).</summary>
    public Func<string, SendFailure?>? Refuse { get; set; }

    /// <summary>Awaited inside each call (with the call's token) before it answers.</summary>
    public Func<CancellationToken, Task>? Hold { get; set; }

    /// <summary>The most calls that were in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    public string QueueUrl => "http://queue/backfill";

    public async Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        Assert.InRange(messages.Count, 1, 10);
        Calls.Enqueue(messages);
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = MaxInFlight; now > max && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max; max = MaxInFlight)
        {
        }

        try
        {
            if (Hold is { } hold)
            {
                await hold(cancellationToken);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        var failures = new List<SendFailure>();
        foreach (var message in messages)
        {
            if (Refuse?.Invoke(message.Body) is { } failure)
            {
                failures.Add(failure with { Id = message.Id });
            }
            else
            {
                Accepted.Enqueue(message.Body);
            }
        }

        return failures;
    }
}
