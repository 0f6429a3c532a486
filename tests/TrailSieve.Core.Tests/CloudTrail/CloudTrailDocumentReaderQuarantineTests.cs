using System.Text;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

public class CloudTrailDocumentReaderQuarantineTests
{
    public static TheoryData<bool> Shapes => new() { false, true };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_NotObjectsInTheMiddle_QuarantinedWithBytesAndOffsets(bool segmentPerByte)
    {
        // Given records around every kind of value that is not an object, one an array holding a tricky string
        var values = new[] { "42", "\"a \\\"}] string\"", "[1,{\"x\":\"]\"},[]]", "null", "true", "-1.5e3" };
        var json = "{\"Records\":[{\"a\":1}, " + string.Join(" ,\n", values) + ",{\"b\":2}]}";

        // When
        var read = QuarantineReading.Read(json, segmentPerByte);

        // Then both records are read, and each value is put aside with its index, offset and exact bytes
        Assert.Equal(["""{"a":1}""", """{"b":2}"""], read.Records);
        Assert.Equal(values.Length, read.Quarantined.Count);
        for (var i = 0; i < values.Length; i++)
        {
            var q = read.Quarantined[i];
            Assert.Equal(QuarantineKind.NotAnObject, q.Kind);
            Assert.Equal(i + 1, q.Index);
            Assert.Equal(values[i], Encoding.UTF8.GetString(q.Bytes!));
            Assert.Equal(values[i].Length, q.Length);
            Assert.Equal(OffsetOf(json, values[i]), q.Offset);
            Assert.Contains($"record {i + 1} is", q.Reason, StringComparison.Ordinal);
            Assert.EndsWith("not an object", q.Reason, StringComparison.Ordinal);
        }

        Assert.True(read.State.IsComplete);
        Assert.Equal(2, read.State.RecordCount);
        Assert.Equal(values.Length, read.State.QuarantinedCount);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_NotObjectsAtStartAndEnd_Quarantined(bool segmentPerByte)
    {
        const string json = """{"Records":[7,{"a":1},"z"]}""";

        var read = QuarantineReading.Read(json, segmentPerByte);

        Assert.Equal(["""{"a":1}"""], read.Records);
        Assert.Equal([(0L, "7"), (2L, "\"z\"")], read.Quarantined.Select(q => (q.Index, Encoding.UTF8.GetString(q.Bytes!))));
        Assert.True(read.State.IsComplete);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_OnlyElementIsANumber_QuarantinedAndComplete(bool segmentPerByte)
    {
        var read = QuarantineReading.Read("""{"Records":[ 12 ]}""", segmentPerByte);

        Assert.Empty(read.Records);
        var q = Assert.Single(read.Quarantined);
        Assert.Equal((0L, 13L, "12"), (q.Index, q.Offset, Encoding.UTF8.GetString(q.Bytes!)));
        Assert.True(read.State.IsComplete);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_RecordOverLimitInTheMiddle_StreamedPastWithoutItsBytes(bool segmentPerByte)
    {
        // Given a 1 KiB limit and a 10 KB record whose strings hold braces, brackets and escaped quotes
        var options = new RecordReaderOptions { MaxRecordBytes = 1024 };
        var big = "{\"a\":\"" + string.Concat(Enumerable.Repeat("}]{[\\\"\\\\", 1000)) + "\",\"n\":[{\"x\":\"}\"}]}";
        var json = "{\"Records\":[{\"a\":1}," + big + ",{\"b\":2}]}";

        // When
        var read = QuarantineReading.Read(json, segmentPerByte, options);

        // Then the records around it are read whole, it is put aside by place and length, and (offered a byte at a
        // time) the reader never held more than the limit of it
        Assert.Equal(["""{"a":1}""", """{"b":2}"""], read.Records);
        var q = Assert.Single(read.Quarantined);
        Assert.Equal(QuarantineKind.RecordTooLarge, q.Kind);
        Assert.Equal((1L, OffsetOf(json, big), (long)big.Length), (q.Index, q.Offset, q.Length));
        Assert.Null(q.Bytes);
        Assert.Contains("larger than the maximum record size of 1024 bytes", q.Reason, StringComparison.Ordinal);
        Assert.Equal(2, read.State.RecordCount);
        if (segmentPerByte)
        {
            Assert.InRange(read.MaxBuffered, 1, options.MaxRecordBytes + 1);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_RecordOverLimitAtStartAndEnd_Quarantined(bool segmentPerByte)
    {
        var options = new RecordReaderOptions { MaxRecordBytes = 1024 };
        var big = "{\"blob\":\"" + new string('x', 3000) + "\"}";
        var json = "{\"Records\":[" + big + ",{\"a\":1}," + big + "]}";

        var read = QuarantineReading.Read(json, segmentPerByte, options);

        Assert.Equal(["""{"a":1}"""], read.Records);
        Assert.Equal([0L, 2L], read.Quarantined.Select(q => q.Index));
        Assert.All(read.Quarantined, q => Assert.Equal((QuarantineKind.RecordTooLarge, (long)big.Length), (q.Kind, q.Length)));
        Assert.True(read.State.IsComplete);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_ArrayOverLimit_QuarantinedAsTooLarge(bool segmentPerByte)
    {
        var options = new RecordReaderOptions { MaxRecordBytes = 1024 };
        var array = "[" + string.Join(",", Enumerable.Range(0, 1000)) + "]";

        var read = QuarantineReading.Read("{\"Records\":[" + array + ",{\"a\":1}]}", segmentPerByte, options);

        Assert.Equal(["""{"a":1}"""], read.Records);
        var q = Assert.Single(read.Quarantined);
        Assert.Equal((QuarantineKind.RecordTooLarge, (long)array.Length), (q.Kind, q.Length));
        Assert.Null(q.Bytes);
        Assert.Contains("an array, not an object", q.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_DeeperThanMaximumInTheMiddle_QuarantinedWithoutBytes(bool segmentPerByte)
    {
        var options = new RecordReaderOptions { MaxDepth = 16 };
        var deep = string.Concat(Enumerable.Repeat("{\"b\":[", 20)) + "\"]}\"" + string.Concat(Enumerable.Repeat("]}", 20));
        var json = "{\"Records\":[{\"a\":1}," + deep + ",{\"c\":3}]}";

        var read = QuarantineReading.Read(json, segmentPerByte, options);

        Assert.Equal(["""{"a":1}""", """{"c":3}"""], read.Records);
        var q = Assert.Single(read.Quarantined);
        Assert.Equal((QuarantineKind.TooDeep, 1L, OffsetOf(json, deep), (long)deep.Length), (q.Kind, q.Index, q.Offset, q.Length));
        Assert.Null(q.Bytes);
        Assert.Contains("deeper than the maximum depth of 16", q.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_DeeperThanMaximumAtStartAndEnd_Quarantined(bool segmentPerByte)
    {
        var options = new RecordReaderOptions { MaxDepth = 8 };
        var deep = new string('[', 9) + new string(']', 9);

        var read = QuarantineReading.Read("{\"Records\":[" + deep + ",{\"a\":1}," + deep + "]}", segmentPerByte, options);

        Assert.Equal(["""{"a":1}"""], read.Records);
        Assert.Equal([(0L, QuarantineKind.TooDeep), (2L, QuarantineKind.TooDeep)], read.Quarantined.Select(q => (q.Index, q.Kind)));
    }

    [Theory]
    [InlineData("""{"Records":[{"a":1}{"b":1}]}""", 19)]
    [InlineData("""{"Records":[{"a":1},[1,,2]]}""", 23)]
    [InlineData("""{"Records":[{"a":1},nul]}""", 20)]
    [InlineData("""{"Records":[{"a":1},]}""", 20)]
    [InlineData("""{"Records":[{"a":1},"x" "y"]}""", 24)]
    [InlineData("""{"Records":[]}  garbage""", 16)]
    [InlineData("""{"Records" [] }""", 11)]
    public void TryReadRecord_SyntaxError_FailsNamingTheByteOffset(string json, int offset)
    {
        foreach (var segmentPerByte in new[] { false, true })
        {
            var ex = Assert.Throws<CloudTrailFormatException>(() => QuarantineReading.Read(json, segmentPerByte));

            Assert.True(ex.Kind is CloudTrailErrorKind.NotJson or CloudTrailErrorKind.TrailingData, ex.Kind.ToString());
            Assert.Contains($"at byte {offset}", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_DataEndsInsideARecordBeingStreamedPast_Truncated(bool segmentPerByte)
    {
        var options = new RecordReaderOptions { MaxRecordBytes = 1024 };

        var ex = Assert.Throws<CloudTrailFormatException>(
            () => QuarantineReading.Read("{\"Records\":[{\"a\":1},{\"blob\":\"" + new string('x', 3000), segmentPerByte, options));

        Assert.Equal(CloudTrailErrorKind.TruncatedJson, ex.Kind);
        Assert.Contains("record 1, which starts at byte 20", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Records":[1]}""", CloudTrailErrorKind.RecordsNotArray)]
    [InlineData("""{"Records":[{"a":1},[2]]}""", CloudTrailErrorKind.RecordsNotArray)]
    public void TryReadRecord_WithoutQuarantine_NotAnObjectStillFails(string json, CloudTrailErrorKind kind)
    {
        var ex = Assert.Throws<CloudTrailFormatException>(() => DocumentReading.ReadAll(json, false));

        Assert.Equal(kind, ex.Kind);
    }

    private static long OffsetOf(string json, string value) => Encoding.UTF8.GetByteCount(json.AsSpan(0, json.IndexOf(value, StringComparison.Ordinal)));
}
