using System.Buffers;
using System.Text;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

/// <summary>
/// The block scan (64 bytes at a time, <see cref="StructuralMasks"/>) against the scalar reference it replaced, on
/// valid and broken JSON, whole and in pieces: the same end, and the same carried state where the data runs out.
/// </summary>
public class RecordBoundaryScannerTests
{
    private const int MaxDepth = 256;

    public static TheoryData<int> RunLengths => new() { 1, 2, 3, 4, 5, 6, 7, 64, 65 };

    [Theory]
    [MemberData(nameof(RunLengths))]
    public void TryFindEnd_BackslashRunAcrossABlockBoundary_EndsWhereTheReferenceDoes(int run)
    {
        // Given a record whose string has a run of backslashes placed at every offset around the first two block
        // boundaries, followed by a quote (escaped by an odd run, closing the string after an even one) and a brace
        for (var at = 50; at < 140; at++)
        {
            var text = "{\"k\":\"" + new string('x', at) + new string('\\', run) + "\"}\"}";
            var data = Encoding.UTF8.GetBytes(text);

            // When
            var block = Scan(data, vectorized: true, [data.Length]);
            var scalar = Scan(data, vectorized: false, [data.Length]);

            // Then an odd run escapes the quote, so the record ends at the last brace; an even run ends it at the first
            Assert.Equal(scalar, block);
            var expected = run % 2 == 1 ? data.Length : data.Length - 2;
            Assert.Equal((true, expected), (block.Found, block.Length));
        }
    }

    [Fact]
    public void TryFindEnd_RandomRecordsSplitAnywhere_SameEndAndStateAsTheReference()
    {
        // Given random records, cut into two segments at every point, and into random pieces offered as they grow
        var maker = new JsonMaker(seed: 14);
        var random = new Random(14);
        for (var n = 0; n < 300; n++)
        {
            var record = maker.Record();
            var expected = Scan(record, vectorized: false, [record.Length]);
            Assert.Equal((true, (long)record.Length), (expected.Found, expected.Length));
            for (var cut = 1; cut < record.Length; cut += 1 + (record.Length / 97))
            {
                Assert.Equal(expected, Scan(record, vectorized: true, [cut, record.Length - cut]));
            }

            var pieces = RandomPieces(random, record.Length);
            Assert.Equal(Scan(record, vectorized: false, pieces), Scan(record, vectorized: true, pieces));
            Assert.Equal(ScanGrowing(record, vectorized: false, pieces), ScanGrowing(record, vectorized: true, pieces));
        }
    }

    [Fact]
    public void TryFindEnd_MutatedRecords_SameEndAndStateAsTheReference()
    {
        // Given records broken at random, often right before a block boundary: truncated, stray quotes, backslash
        // runs outside strings, unbalanced brackets, invalid UTF-8
        var maker = new JsonMaker(seed: 1914);
        var random = new Random(1914);
        for (var n = 0; n < 3000; n++)
        {
            var record = maker.Record();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                record = maker.Mutate(record);
            }

            if (record.Length == 0 || record[0] != (byte)'{')
            {
                continue;
            }

            // Then whole, in random pieces and as the pieces arrive, the block scan agrees with the reference,
            // including where the data ends inside the record (depth, in a string or not, escape pending, too deep)
            foreach (var maxDepth in new[] { 8, MaxDepth })
            {
                Assert.Equal(Scan(record, vectorized: false, [record.Length], maxDepth), Scan(record, vectorized: true, [record.Length], maxDepth));
                var pieces = RandomPieces(random, record.Length);
                Assert.Equal(Scan(record, vectorized: false, pieces, maxDepth), Scan(record, vectorized: true, pieces, maxDepth));
                Assert.Equal(ScanGrowing(record, vectorized: false, pieces, maxDepth), ScanGrowing(record, vectorized: true, pieces, maxDepth));
            }
        }
    }

    [Fact]
    public void TryFindEnd_DeepNestingInOneBlock_SetsTooDeepLikeTheReference()
    {
        // Given a record nesting 20 deep, all inside the first blocks, with a limit of 8
        var text = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 19)) + "1" + string.Concat(Enumerable.Repeat("]", 19)) + "}" + new string(' ', 100);
        var data = Encoding.UTF8.GetBytes(text);

        // When
        var block = Scan(data, vectorized: true, [data.Length], maxDepth: 8);

        // Then it ends where the reference ends, too deep
        Assert.Equal(Scan(data, vectorized: false, [data.Length], maxDepth: 8), block);
        Assert.True(block.TooDeep);
        Assert.Equal(text.TrimEnd().Length, block.Length);
    }

    [Fact]
    public void TryFindEnd_StringElement_EndsAtItsClosingQuote()
    {
        // Given an element that is a long string with brackets and escapes, then more data
        var text = "\"" + string.Concat(Enumerable.Repeat("{[\\\"]}\\\\", 30)) + "\",{\"a\":1}";
        var data = Encoding.UTF8.GetBytes(text);

        // When
        var block = Scan(data, vectorized: true, [data.Length]);

        // Then the string is the element
        Assert.Equal(Scan(data, vectorized: false, [data.Length]), block);
        Assert.Equal(text.IndexOf("\",{", StringComparison.Ordinal) + 1, block.Length);
    }

    private static ScanResult Scan(byte[] data, bool vectorized, int[] pieces, int maxDepth = MaxDepth)
    {
        var state = default(CloudTrailReaderState);
        var found = RecordBoundaryScanner.TryFindEnd(ReadOnlySequenceFactory.Pieces(data, pieces), ref state, maxDepth, vectorized, out var length);
        return new ScanResult(found, length, state.Depth, state.InString, state.Escaped, state.TooDeep, state.ScanOffset);
    }

    /// <summary>The scan as the reader drives it: offered the pieces one more at a time, resuming from its saved offset.</summary>
    private static ScanResult ScanGrowing(byte[] data, bool vectorized, int[] pieces, int maxDepth = MaxDepth)
    {
        var state = default(CloudTrailReaderState);
        var whole = ReadOnlySequenceFactory.Pieces(data, pieces);
        var available = 0L;
        foreach (var piece in pieces)
        {
            available += piece;
            if (RecordBoundaryScanner.TryFindEnd(whole.Slice(0, available), ref state, maxDepth, vectorized, out var length))
            {
                return new ScanResult(true, length, state.Depth, state.InString, state.Escaped, state.TooDeep, state.ScanOffset);
            }
        }

        return new ScanResult(false, 0, state.Depth, state.InString, state.Escaped, state.TooDeep, state.ScanOffset);
    }

    private static int[] RandomPieces(Random random, int length)
    {
        var pieces = new List<int>();
        for (var left = length; left > 0;)
        {
            var piece = Math.Min(left, random.Next(4) == 0 ? 1 : random.Next(1, 200));
            pieces.Add(piece);
            left -= piece;
        }

        return [.. pieces];
    }

    private readonly record struct ScanResult(bool Found, long Length, int Depth, bool InString, bool Escaped, bool TooDeep, long ScanOffset);
}
