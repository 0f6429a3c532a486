using System.Buffers;

namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>Builds the same bytes as one segment or as one segment per byte, the two shapes every parser test runs.</summary>
public static class ReadOnlySequenceFactory
{
    public static ReadOnlySequence<byte> OneSegment(byte[] data) => new(data);

    public static ReadOnlySequence<byte> SegmentPerByte(byte[] data) => Pieces(data, Enumerable.Repeat(1, data.Length));

    /// <summary>The bytes in consecutive segments of <paramref name="lengths"/> (which sum to the length; empty ones are left out).</summary>
    public static ReadOnlySequence<byte> Pieces(byte[] data, IEnumerable<int> lengths)
    {
        var nonEmpty = lengths.Where(l => l > 0).ToArray();
        if (nonEmpty.Length <= 1)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new Segment(data.AsMemory(0, nonEmpty[0]), 0);
        var last = first;
        var at = nonEmpty[0];
        foreach (var length in nonEmpty[1..])
        {
            last = last.Append(data.AsMemory(at, length));
            at += length;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> Create(byte[] data, bool segmentPerByte) =>
        segmentPerByte ? SegmentPerByte(data) : OneSegment(data);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
