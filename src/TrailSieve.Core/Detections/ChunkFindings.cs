using System.Buffers;
using System.Text.Json;

namespace TrailSieve.Core.Detections;

/// <summary>The findings one filter worker raised from one chunk of records: their lines, back to back, and what each is.</summary>
public sealed class ChunkFindings
{
    /// <summary>A buffer larger than this after a chunk (a chunk of many findings) is dropped by <see cref="Reset"/>, not kept.</summary>
    private const int KeptCapacity = 4 * 1024 * 1024;

    private const int InitialCapacity = 16 * 1024;

    private ArrayBufferWriter<byte> _lines = new(InitialCapacity);
    private readonly List<Finding> _findings = [];
    private Utf8JsonWriter? _json;

    public ReadOnlyMemory<byte> Lines => _lines.WrittenMemory;

    public IReadOnlyList<Finding> Findings => _findings;

    public int Count => _findings.Count;

    internal ArrayBufferWriter<byte> Writer => _lines;

    /// <summary>One JSON writer for every line of these findings (reset per line), instead of one per finding.</summary>
    internal Utf8JsonWriter Json => _json ??= FindingWriter.CreateWriter(_lines);

    internal void Add(Finding finding) => _findings.Add(finding);

    /// <summary>
    /// Empties these findings for the next chunk of the same worker, keeping the buffer: growing a new one from empty
    /// for every chunk was half the cost of writing a finding line.
    /// </summary>
    public void Reset()
    {
        _findings.Clear();
        if (_lines.Capacity > KeptCapacity)
        {
            _lines = new ArrayBufferWriter<byte>(InitialCapacity);
            _json?.Dispose();
            _json = null;
        }
        else
        {
            _lines.ResetWrittenCount();
        }
    }

    /// <summary>The line of <paramref name="finding"/>, ending in a newline.</summary>
    public ReadOnlyMemory<byte> LineOf(Finding finding) => _lines.WrittenMemory.Slice(finding.Start, finding.Length);
}
