using System.Buffers;
using System.Text;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Reports;

/// <summary>Counts, per detection of a <see cref="HighRiskPack"/>, the records that hit it.</summary>
internal sealed class HighRiskTally(HighRiskPack pack)
{
    private readonly long[] _counts = new long[pack.Names.Count];

    /// <summary>Evaluates the pack on each record (JSON text) that <paramref name="records"/>, a one-column query, returns.</summary>
    public void Add(AnalyticsEngine engine, string records)
    {
        ArgumentNullException.ThrowIfNull(engine);
        using var reader = engine.Query(records);
        var hits = new int[Math.Max(pack.DetectionCount, 1)];
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (reader.Read())
            {
                var json = reader.GetString(0);
                var length = Encoding.UTF8.GetMaxByteCount(json.Length);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                var written = Encoding.UTF8.GetBytes(json, buffer);
                var count = pack.Evaluate(buffer.AsSpan(0, written), hits);
                for (var i = 0; i < count; i++)
                {
                    if (pack.Row(hits[i]) is var row and >= 0)
                    {
                        _counts[row]++;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Every detection with its count, zeros included, in the pack's order.</summary>
    public IReadOnlyList<NamedCount> Counts => [.. pack.Names.Select((name, i) => new NamedCount(name, _counts[i]))];
}
