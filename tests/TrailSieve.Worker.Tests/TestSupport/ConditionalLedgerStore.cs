using System.Globalization;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Tests.TestSupport;

/// <summary>
/// A ledger store in memory that enforces what S3 does and fauxqs does not: a create fails when the key exists, a
/// replace fails when the ETag changed, atomically. Batches are durable when <see cref="Durable"/> says so.
/// </summary>
internal sealed class ConditionalLedgerStore(TimeProvider timeProvider, Func<string, bool> durable) : ILedgerStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LedgerEntry> _markers = new(StringComparer.Ordinal);
    private int _version;

    public Func<string, bool> Durable { get; } = durable;

    public int Creates;

    public int Replaces;

    public int Reads;

    public int Heads;

    /// <summary>False: behave like a store that ignores If-None-Match and If-Match (the test emulator): every write lands.</summary>
    public bool EnforceConditions { get; set; } = true;

    /// <summary>The next create lands but answers as if it had lost (a retried request meeting its own first attempt).</summary>
    public bool LoseNextCreateAnswer { get; set; }

    /// <summary>The next replace lands but answers as if it had lost.</summary>
    public bool LoseNextReplaceAnswer { get; set; }

    /// <summary>Called inside every conditional write before it is decided: a test's hook to let a rival in first.</summary>
    public Action<string>? BeforeWrite { get; set; }

    public IReadOnlyDictionary<string, LedgerEntry> Markers
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, LedgerEntry>(_markers, StringComparer.Ordinal);
            }
        }
    }

    public string Describe(string key) => "ledger://" + key;

    public Task<string?> TryCreateAsync(string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Creates);
        BeforeWrite?.Invoke(key);
        lock (_lock)
        {
            if (EnforceConditions && _markers.ContainsKey(key))
            {
                return Task.FromResult<string?>(null);
            }

            var etag = Store(key, body);
            if (LoseNextCreateAnswer)
            {
                LoseNextCreateAnswer = false;
                return Task.FromResult<string?>(null);
            }

            return Task.FromResult<string?>(etag);
        }
    }

    public Task<string?> TryReplaceAsync(string key, string etag, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Replaces);
        BeforeWrite?.Invoke(key);
        lock (_lock)
        {
            if (EnforceConditions && (!_markers.TryGetValue(key, out var current) || current.ETag != etag))
            {
                return Task.FromResult<string?>(null);
            }

            var stored = Store(key, body);
            if (LoseNextReplaceAnswer)
            {
                LoseNextReplaceAnswer = false;
                return Task.FromResult<string?>(null);
            }

            return Task.FromResult<string?>(stored);
        }
    }

    public Task<LedgerEntry?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        lock (_lock)
        {
            return Task.FromResult(_markers.GetValueOrDefault(key));
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Heads);
        return Task.FromResult(Durable(key));
    }

    /// <summary>The marker of <paramref name="key"/> as a parsed document.</summary>
    public LedgerMarker Marker(string key) => LedgerMarker.Parse(Markers[key].Body) ?? throw new InvalidOperationException("not a marker: " + key);

    private string Store(string key, ReadOnlyMemory<byte> body)
    {
        var etag = "\"" + (++_version).ToString(CultureInfo.InvariantCulture) + "\"";
        _markers[key] = new LedgerEntry(body.ToArray(), etag, timeProvider.GetUtcNow());
        return etag;
    }
}
