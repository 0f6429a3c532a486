using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Pipeline.Writing;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

public class ChunkReordererTests
{
    [Fact]
    public void Accept_EarlyChunks_HeldUntilPredecessorsThenReleasedInOrder()
    {
        // Given chunks 2 and 1 of an object arriving before chunk 0
        var order = new ChunkReorderer();
        var obj = Tracked("a");
        var (c0, c1, c2) = (Chunk(obj, 0), Chunk(obj, 1), Chunk(obj, 2));
        var ready = new List<FilteredChunk>();

        // When / Then the early ones are held
        order.Accept(c2, ready);
        Assert.Empty(ready);
        order.Accept(c1, ready);
        Assert.Empty(ready);

        // When / Then chunk 0 releases all three, in order
        order.Accept(c0, ready);
        Assert.Equal([c0, c1, c2], ready);
        Assert.Empty(order.Held());
    }

    [Fact]
    public void Accept_ChunksInOrder_EachReleasedAtOnce()
    {
        // Given an object's chunks arriving in order
        var order = new ChunkReorderer();
        var obj = Tracked("a");
        var ready = new List<FilteredChunk>();

        // When / Then each is released as it arrives
        var c0 = Chunk(obj, 0);
        order.Accept(c0, ready);
        Assert.Equal([c0], ready);
        ready.Clear();
        var c1 = Chunk(obj, 1);
        order.Accept(c1, ready);
        Assert.Equal([c1], ready);
    }

    [Fact]
    public void Accept_EndReleased_ObjectForgotten()
    {
        // Given an object with a chunk released (it is tracked)
        var order = new ChunkReorderer();
        var obj = Tracked("a");
        var ready = new List<FilteredChunk>();
        order.Accept(Chunk(obj, 0), ready);
        Assert.Equal(1, order.Count);

        // When its end arrives early, it is still tracked; once released the object is forgotten
        var end = End(obj, 2);
        order.Accept(end, ready);
        Assert.Equal(1, order.Count);
        order.Accept(Chunk(obj, 1), ready);

        // Then
        Assert.Equal(0, order.Count);
        Assert.Same(end, ready[^1]);
        Assert.Equal([0L, 1L, 2L], ready.Select(c => c.Sequence));
    }

    [Fact]
    public void Accept_TwoObjectsInterleaved_EachOrderedOnItsOwn()
    {
        // Given two objects whose chunks are numbered independently
        var order = new ChunkReorderer();
        var (a, b) = (Tracked("a"), Tracked("b"));
        var ready = new List<FilteredChunk>();
        var (a0, a1, b0, b1) = (Chunk(a, 0), Chunk(a, 1), Chunk(b, 0), Chunk(b, 1));

        // When
        order.Accept(a1, ready);
        order.Accept(b0, ready);
        order.Accept(b1, ready);
        order.Accept(a0, ready);

        // Then b's chunk 0 is not held back by a's missing chunk 0
        Assert.Equal([b0, b1, a0, a1], ready);
        Assert.Equal(2, order.Count);
    }

    [Fact]
    public void Held_ChunksWaitingForPredecessors_ListsExactlyThose()
    {
        // Given object a with chunks 0, 1 and 3 in (3 held), and object b with chunk 2 in (held)
        var order = new ChunkReorderer();
        var (a, b) = (Tracked("a"), Tracked("b"));
        var ready = new List<FilteredChunk>();
        var (a3, b2) = (Chunk(a, 3), Chunk(b, 2));
        order.Accept(Chunk(a, 1), ready);
        order.Accept(a3, ready);
        order.Accept(b2, ready);
        order.Accept(Chunk(a, 0), ready);

        // When
        var held = order.Held().ToList();

        // Then
        Assert.Equal(2, held.Count);
        Assert.Contains(a3, held);
        Assert.Contains(b2, held);
    }

    private static TrackedObject Tracked(string key) => new(PipelineHarness.Object(key, []), 0, null);

    private static FilteredChunk Chunk(TrackedObject obj, long sequence) => new(obj, sequence) { Records = 1, Kept = 1 };

    private static FilteredChunk End(TrackedObject obj, long sequence) =>
        new(obj, sequence) { End = new ReadEnd(0, 0, IsDigest: false, SkipReason: null, Error: null) };
}
