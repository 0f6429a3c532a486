using System.Buffers;

namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>Builds the same bytes as one segment or as one segment per byte, the two shapes every parser test runs.</summary>
public static class ReadOnlySequenceFactory
{
    public static ReadOnlySequence<byte> OneSegment(byte[] data) => new(data);

    public static ReadOnlySequence<byte> SegmentPerByte(byte[] data)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(data.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < data.Length; i++)
        {
            last = last.Append(data.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
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
