using System.Buffers;
using System.Text.Json;

namespace TrailSieve.Core.Detections;

/// <summary>The findings one filter worker raised from one chunk of records: their lines, back to back, and what each is.</summary>
public sealed class ChunkFindings
{
    private readonly ArrayBufferWriter<byte> _lines = new(1024);
    private readonly List<Finding> _findings = [];
    private Utf8JsonWriter? _json;

    public ReadOnlyMemory<byte> Lines => _lines.WrittenMemory;

    public IReadOnlyList<Finding> Findings => _findings;

    public int Count => _findings.Count;

    internal ArrayBufferWriter<byte> Writer => _lines;

    /// <summary>One JSON writer for every line of these findings (reset per line), instead of one per finding.</summary>
    internal Utf8JsonWriter Json => _json ??= FindingWriter.CreateWriter(_lines);

    internal void Add(Finding finding) => _findings.Add(finding);

    /// <summary>The line of <paramref name="finding"/>, ending in a newline.</summary>
    public ReadOnlyMemory<byte> LineOf(Finding finding) => _lines.WrittenMemory.Slice(finding.Start, finding.Length);
}
