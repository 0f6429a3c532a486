using System.Text.Json;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

/// <summary>
/// The document reader with the block scan against the same reader with the scalar scan it replaced
/// (<see cref="RecordReaderOptions.ScalarBoundaryScan"/>): the same records, quarantined elements and errors, byte
/// offsets included, on the real corpus, generated documents and broken ones, whole and in one-byte segments.
/// </summary>
public class CloudTrailDocumentReaderBlockScanTests
{
    private static readonly RecordReaderOptions s_small = new() { MaxDepth = 8, MaxRecordBytes = 1024 };

    public static TheoryData<bool> Shapes => new() { false, true };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_RealCorpus_SameOutcomeAsTheScalarScan(bool segmentPerByte)
    {
        var offer = segmentPerByte ? DocumentOutcome.Offer.SegmentPerByte : DocumentOutcome.Offer.OneSegment;
        // Given every file of the real corpus, decompressed
        var files = Directory.GetFiles(RepoPaths.RealCorpus, "*.json*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var records = 0;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var json = file.EndsWith(".gz", StringComparison.Ordinal) ? Gzip.Decompress(bytes) : bytes;

            // When read with each scan, quarantining (and, in one segment, strict too: one byte per segment costs
            // a few seconds a pass over the corpus), with the default limits and small ones
            foreach (var options in new[] { RecordReaderOptions.Default, s_small })
            {
                foreach (var quarantine in segmentPerByte ? [true] : new[] { true, false })
                {
                    var block = DocumentOutcome.Read(json, offer, options, quarantine);
                    var scalar = DocumentOutcome.Read(json, offer, Scalar(options), quarantine);

                    // Then both give the same
                    Assert.True(scalar == block, $"{file} (limits {options.MaxDepth}/{options.MaxRecordBytes}, quarantine {quarantine}):\n{First(scalar, block)}");
                }
            }

            records += CountRecords(DocumentOutcome.Read(json, offer, RecordReaderOptions.Default, quarantine: true));
        }

        // And the corpus really held records to compare
        Assert.True(records > 1000, $"only {records} records read");
    }

    [Fact]
    public void TryReadRecord_GeneratedDocuments_RecordsAreWhatAJsonParserFinds()
    {
        // Given generated documents whose strings are full of brackets, quotes and backslash runs
        var maker = new JsonMaker(seed: 7);
        for (var n = 0; n < 40; n++)
        {
            var json = maker.Document(records: 20);

            // When read with the block scan
            var records = DocumentReading.ReadAll(json, segmentPerByte: false, null, out var state);

            // Then each record is the exact text of the array's element, as System.Text.Json sees it
            using var document = JsonDocument.Parse(json);
            var expected = document.RootElement.GetProperty("Records").EnumerateArray().Select(e => e.GetRawText()).ToList();
            Assert.Equal(expected, records);
            Assert.True(state.IsComplete);
        }
    }

    [Fact]
    public void TryReadRecord_GeneratedDocuments_SameOutcomeAsTheScalarScanInEveryShape()
    {
        var maker = new JsonMaker(seed: 8);
        for (var n = 0; n < 30; n++)
        {
            var json = maker.Document(records: 1 + (n % 4));
            AssertSameOutcome(json, withGrowing: json.Length < 3000);
        }
    }

    [Fact]
    public void TryReadRecord_MutatedDocuments_SameOutcomeAsTheScalarScan()
    {
        // Given small documents broken at random: truncated, stray quotes, backslash runs at block boundaries, invalid
        // and multi-byte UTF-8, deep nesting (past the small limits' depth of 8), records over 1 KiB
        var maker = new JsonMaker(seed: 1400);
        var random = new Random(1400);
        var errors = 0;
        for (var n = 0; n < 400; n++)
        {
            var json = maker.Document(records: 1 + random.Next(4));
            for (var m = random.Next(1, 3); m > 0; m--)
            {
                json = maker.Mutate(json);
            }

            // Then the block scan gives what the scalar one does, one segment, one byte per segment, and (for the
            // smaller ones) trickling in byte by byte
            errors += AssertSameOutcome(json, withGrowing: json.Length < 1500);
        }

        // And the mutations did break documents (so the errors' offsets were compared too)
        Assert.True(errors > 100, $"only {errors} of the mutated documents failed");
    }

    private static int AssertSameOutcome(byte[] json, bool withGrowing)
    {
        var errors = 0;
        var offers = withGrowing
            ? new[] { DocumentOutcome.Offer.OneSegment, DocumentOutcome.Offer.SegmentPerByte, DocumentOutcome.Offer.GrowingPerByte }
            : [DocumentOutcome.Offer.OneSegment, DocumentOutcome.Offer.SegmentPerByte];
        foreach (var offer in offers)
        {
            foreach (var options in new[] { RecordReaderOptions.Default, s_small })
            {
                foreach (var quarantine in new[] { true, false })
                {
                    var block = DocumentOutcome.Read(json, offer, options, quarantine);
                    var scalar = DocumentOutcome.Read(json, offer, Scalar(options), quarantine);
                    Assert.True(
                        scalar == block,
                        $"{offer}, limits {options.MaxDepth}/{options.MaxRecordBytes}, quarantine {quarantine}, input {Convert.ToBase64String(json)}:\n{First(scalar, block)}");
                    errors += block.Contains("\nerror ", StringComparison.Ordinal) || block.StartsWith("error ", StringComparison.Ordinal) ? 1 : 0;
                }
            }
        }

        return errors;
    }

    private static RecordReaderOptions Scalar(RecordReaderOptions options) => new()
    {
        MaxDepth = options.MaxDepth,
        MaxRecordBytes = options.MaxRecordBytes,
        ChunkBytes = options.ChunkBytes,
        ScalarBoundaryScan = true,
    };

    private static int CountRecords(string outcome) =>
        outcome.Split('\n').Count(line => line.StartsWith("record @", StringComparison.Ordinal));

    /// <summary>The first line where two outcomes differ, both ways, so a failure message stays readable.</summary>
    private static string First(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "(none)";
            var right = i < a.Length ? a[i] : "(none)";
            if (left != right)
            {
                return $"line {i}\nscalar: {Cut(left)}\nblock:  {Cut(right)}";
            }
        }

        return "(same)";
    }

    private static string Cut(string line) => line.Length > 400 ? line[..400] + "..." : line;
}
