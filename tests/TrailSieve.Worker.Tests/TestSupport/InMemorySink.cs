using System.Collections.Concurrent;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Tests.TestSupport;

/// <summary>A sink that keeps committed objects in memory, and can be told to fail commits.</summary>
internal sealed class InMemorySink : IObjectSink
{
    public ConcurrentDictionary<string, byte[]> Committed { get; } = new(StringComparer.Ordinal);

    public int Aborted;

    public int Created;

    public Func<string, bool>? FailCommit { get; set; }

    /// <summary>Awaited with each key as its commit starts, before anything is kept: lets a test hold commits open.</summary>
    public Func<string, Task>? BeforeCommit { get; set; }

    /// <summary>Called with each key as its output object is created: a test's signal that a writer opened it.</summary>
    public Action<string>? OnCreated { get; set; }

    public string Describe(string key) => "mem://" + key;

    public ValueTask<IOutputObject> CreateAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Created);
        OnCreated?.Invoke(key);
        return ValueTask.FromResult<IOutputObject>(new MemoryObject(this, key));
    }

    /// <summary>The records of a committed object, each as its exact text.</summary>
    public IReadOnlyList<string> RecordsOf(string key) => OutputDocuments.Records(Gzip.Decompress(Committed[key]));

    private sealed class MemoryObject(InMemorySink sink, string key) : IOutputObject
    {
        private readonly MemoryStream _data = new();
        private bool _committed;

        public string Key => key;

        public long Length => _data.Length;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            _data.Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (sink.BeforeCommit is { } gate)
            {
                await gate(key).WaitAsync(cancellationToken);
            }

            if (sink.FailCommit?.Invoke(key) == true)
            {
                throw new IOException("injected commit failure");
            }

            sink.Committed[key] = _data.ToArray();
            _committed = true;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                Interlocked.Increment(ref sink.Aborted);
            }

            return ValueTask.CompletedTask;
        }
    }
}
