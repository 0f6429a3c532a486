using System.Collections.Concurrent;

namespace TrailSieve.Worker.Diagnostics;

/// <summary>Running totals of the SQS side of the service, safe to update from any thread.</summary>
internal sealed class ServiceCounters(TrailSieveMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _received;
    private long _deleted;
    private long _extended;
    private long _abandoned;
    private long _released;
    private long _unknown;

    public long Received => Interlocked.Read(ref _received);

    public long Deleted => Interlocked.Read(ref _deleted);

    public long Extended => Interlocked.Read(ref _extended);

    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Messages made visible again early (ChangeMessageVisibility): failed ones, and those left at shutdown.</summary>
    public long Released => Interlocked.Read(ref _released);

    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Errors by type (the <c>ErrorType</c> dimension).</summary>
    public IReadOnlyDictionary<string, long> Errors => _errors;

    public void AddReceived(int count)
    {
        Interlocked.Add(ref _received, count);
        metrics?.Messages("received", count);
    }

    public void AddDeleted(int count)
    {
        Interlocked.Add(ref _deleted, count);
        metrics?.Messages("deleted", count);
    }

    public void AddExtended(int count)
    {
        Interlocked.Add(ref _extended, count);
        metrics?.Messages("extended", count);
    }

    public void AddAbandoned()
    {
        Interlocked.Increment(ref _abandoned);
        metrics?.Messages("abandoned", 1);
    }

    public void AddReleased(int count)
    {
        Interlocked.Add(ref _released, count);
        metrics?.Messages("released", count);
    }

    public void AddUnknown()
    {
        Interlocked.Increment(ref _unknown);
        metrics?.Messages("unknown", 1);
    }

    public void AddError(string errorType, int count)
    {
        if (count > 0)
        {
            _errors.AddOrUpdate(errorType, count, (_, total) => total + count);
            metrics?.Error(errorType, count);
        }
    }
}
