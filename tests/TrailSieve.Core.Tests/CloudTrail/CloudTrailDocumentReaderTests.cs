using System.Text;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

public class CloudTrailDocumentReaderTests
{
    public static TheoryData<bool> Shapes => new() { false, true };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_TwoRecords_ReturnsExactBytes(bool segmentPerByte)
    {
        // Given a document whose records keep their odd spacing
        const string json = """{"Records":[{"a":1,"b":"x"},{ "eventName" : "Get" , "n":[1,{"c":"}"}] }]}""";

        // When
        var records = DocumentReading.ReadAll(json, segmentPerByte);

        // Then each record is its exact bytes
        Assert.Equal(["""{"a":1,"b":"x"}""", """{ "eventName" : "Get" , "n":[1,{"c":"}"}] }"""], records);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_ByteOrderMarkAndWhiteSpace_Accepted(bool segmentPerByte)
    {
        var data = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(" \r\n\t{ \"Records\" :\n[ {\"a\":1} ,\n\t{\"b\":2} ] }\n\n ")).ToArray();

        var records = DocumentReading.ReadAll(data, segmentPerByte, null, out var state);

        Assert.Equal(["""{"a":1}""", """{"b":2}"""], records);
        Assert.True(state.IsComplete);
        Assert.Equal(2, state.RecordCount);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_RecordsNotFirstAndOtherKeysHoldRecords_SkipsOtherKeys(bool segmentPerByte)
    {
        // Given keys before and after Records, one of them an object with its own "Records", and an escaped key name
        const string json = """
            {"meta":{"Records":[{"fake":1}],"n":[1,2,{"x":"]}"}]},"num":-1.5e3,"t":true,"s":"Records",
             "Rec\u006frds":[{"real":1}],"after":null}
            """;

        var records = DocumentReading.ReadAll(json, segmentPerByte);

        Assert.Equal(["""{"real":1}"""], records);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_EmptyRecords_CompleteWithNoRecords(bool segmentPerByte)
    {
        var records = DocumentReading.ReadAll(Encoding.UTF8.GetBytes("""{"Records":[]}"""), segmentPerByte, null, out var state);

        Assert.Empty(records);
        Assert.True(state.IsComplete);
        Assert.True(state.SawRecords);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_StringsWithBracesQuotesAndEscapes_FindsRecordEnd(bool segmentPerByte)
    {
        const string record = """{"a":"}}}]]","b":"\"{","c":"\\","d":"\\\"}","e":"é✓😀","f":"\u007d"}""";

        var records = DocumentReading.ReadAll("{\"Records\":[" + record + "," + record + "]}", segmentPerByte);

        Assert.Equal([record, record], records);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryReadRecord_Depth100_Read(bool segmentPerByte)
    {
        var record = "{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":[", 50)) + "1" + string.Concat(Enumerable.Repeat("]}", 50)) + "}";

        var records = DocumentReading.ReadAll("{\"Records\":[" + record + "]}", segmentPerByte);

        Assert.Equal([record], records);
    }

    [Fact]
    public void TryReadRecord_DeeperThanMaximum_TooDeep()
    {
        var record = string.Concat(Enumerable.Repeat("{\"b\":", 20)) + "1" + new string('}', 20);
        var options = new RecordReaderOptions { MaxDepth = 16 };

        var ex = Assert.Throws<CloudTrailFormatException>(() => DocumentReading.ReadAll("{\"Records\":[" + record + "]}", false, options));

        Assert.Equal(CloudTrailErrorKind.TooDeep, ex.Kind);
        Assert.Contains("record 0", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", CloudTrailErrorKind.Empty)]
    [InlineData("   \n", CloudTrailErrorKind.NotJson)]
    [InlineData("hello world", CloudTrailErrorKind.NotJson)]
    [InlineData("[{\"a\":1}]", CloudTrailErrorKind.NotJson)]
    [InlineData("{\"records\":[]}", CloudTrailErrorKind.NoRecords)]
    [InlineData("{}", CloudTrailErrorKind.NoRecords)]
    [InlineData("{\"Records\":{\"a\":1}}", CloudTrailErrorKind.RecordsNotArray)]
    [InlineData("{\"Records\":\"x\"}", CloudTrailErrorKind.RecordsNotArray)]
    [InlineData("{\"Records\":[1]}", CloudTrailErrorKind.RecordsNotArray)]
    [InlineData("{\"Records\":[{\"a\":1},\"x\"]}", CloudTrailErrorKind.RecordsNotArray)]
    [InlineData("{\"Records\":[{\"a\":1}", CloudTrailErrorKind.TruncatedJson)]
    [InlineData("{\"Records\":[{\"a\":1},{\"b\":", CloudTrailErrorKind.TruncatedJson)]
    [InlineData("{\"Records\":[{\"a\":\"abc", CloudTrailErrorKind.TruncatedJson)]
    [InlineData("{\"Records\":[]", CloudTrailErrorKind.TruncatedJson)]
    [InlineData("{\"x\":[1,2", CloudTrailErrorKind.TruncatedJson)]
    [InlineData("{\"Records\":[]}garbage", CloudTrailErrorKind.TrailingData)]
    [InlineData("{\"Records\":[]}{\"Records\":[]}", CloudTrailErrorKind.TrailingData)]
    [InlineData("{\"Records\":[{\"a\":1}}", CloudTrailErrorKind.NotJson)]
    [InlineData("{\"Records\":[{\"a\":1}{\"b\":1}]}", CloudTrailErrorKind.NotJson)]
    [InlineData("{\"Records\" [] }", CloudTrailErrorKind.NotJson)]
    [InlineData("{Records:[]}", CloudTrailErrorKind.NotJson)]
    [InlineData("{\"x\":tru,\"Records\":[]}", CloudTrailErrorKind.NotJson)]
    [InlineData("{\"Records\":[],\"Records\":[]}", CloudTrailErrorKind.NotJson)]
    public void TryReadRecord_InvalidDocument_ThrowsWithKind(string json, CloudTrailErrorKind kind)
    {
        foreach (var segmentPerByte in new[] { false, true })
        {
            var ex = Assert.Throws<CloudTrailFormatException>(() => DocumentReading.ReadAll(json, segmentPerByte));
            Assert.Equal(kind, ex.Kind);
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }
    }

    [Fact]
    public void TryReadRecord_RecordOverLimit_ThrowsBeforeBufferingPastIt()
    {
        // Given a limit of 2 KiB and a record that never ends
        var options = new RecordReaderOptions { MaxRecordBytes = 2048 };
        var data = Encoding.UTF8.GetBytes("{\"Records\":[{\"a\":\"" + new string('x', 10_000));
        var state = default(CloudTrailReaderState);
        var offered = 0;

        // When the buffer grows 100 bytes at a time
        var ex = Assert.Throws<CloudTrailFormatException>(() =>
        {
            for (offered = 100; offered <= data.Length; offered += 100)
            {
                var buffer = ReadOnlySequenceFactory.OneSegment(data[..offered]);
                state = default;
                while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, false, options, out _))
                {
                }
            }
        });

        // Then it fails as soon as the record passes the limit, not at the end of the data
        Assert.Equal(CloudTrailErrorKind.RecordTooLarge, ex.Kind);
        Assert.InRange(offered, 2048, 2048 + 200);
    }

    [Fact]
    public void TryReadRecord_DigestDocument_CompleteAndMarkedDigest()
    {
        const string digest = """{"awsAccountId":"111122223333","digestPublicKeyFingerprint":"abc","logFiles":[]}""";

        var records = DocumentReading.ReadAll(Encoding.UTF8.GetBytes(digest), false, null, out var state);

        Assert.Empty(records);
        Assert.True(state.IsDigest);
    }
}
