using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Filter_FolderInMirrorMode_WritesRelativePathsAndSummary()
    {
        // Given a folder with a nested gzip file and a plain JSON file
        var input = Path.Combine(_dir, "in");
        WriteGzip(Path.Combine(input, "AWSLogs", "1", "a.json.gz"), OutputDocuments.Document([OutputDocuments.Record("RunInstances"), OutputDocuments.Record("DescribeInstances")]));
        Directory.CreateDirectory(input);
        File.WriteAllText(Path.Combine(input, "b.json"), OutputDocuments.Document([OutputDocuments.Record("TerminateInstances")]));
        var rules = WriteRules("""
            rules:
              - name: drop describes
                matches:
                  - field_name: eventName
                    regex: "^Describe"
            """);
        var output = Path.Combine(_dir, "out");

        // When
        var (code, stdout, stderr) = await RunAsync("filter", "--rules", rules, "--out", output, input);

        // Then
        Assert.True(code == 0, stderr);
        Assert.Single(OutputDocuments.Records(Gzip.Decompress(File.ReadAllBytes(Path.Combine(output, "AWSLogs", "1", "a.json.gz")))));
        Assert.Single(OutputDocuments.Records(Gzip.Decompress(File.ReadAllBytes(Path.Combine(output, "b.json.gz")))));
        Assert.Contains("files 2 (failed 0, skipped 0), records 3, kept 2, dropped 1", stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [CodecData(Codecs.Zlib, "mirror")]
    [CodecData(Codecs.Zlib, "batch")]
    [CodecData(Codecs.Isal, "mirror")]
    [CodecData(Codecs.Isal, "batch")]
    public async Task Filter_CompressionFlag_ReadsAndWritesWithThatCodec(string codec, string mode)
    {
        // Given a gzip input made by the other codec
        _ = Codecs.Get(codec);
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        string[] records = [OutputDocuments.Record("RunInstances", id: 1), OutputDocuments.Record("RunInstances", id: 2)];
        // (zlib's input comes from ISA-L where it loads; where it does not, the zlib case still runs on its own output)
        var other = codec == Codecs.Isal ? Core.CloudTrail.Compression.GzipCodec.Zlib
            : Codecs.IsalSkipReason is null ? Codecs.Get(Codecs.Isal) : Core.CloudTrail.Compression.GzipCodec.Zlib;
        File.WriteAllBytes(Path.Combine(input, "a.json.gz"), other.Compress(System.Text.Encoding.UTF8.GetBytes(OutputDocuments.Document(records)), System.IO.Compression.CompressionLevel.Fastest));
        var output = Path.Combine(_dir, "out");

        // When
        var (code, stdout, stderr) = await RunAsync("filter", "--rules", WriteRules("rules: []"), "--out", output, "--mode", mode, "--compression", codec, input);

        // Then every output decodes with GZipStream to the records
        Assert.True(code == 0, stderr);
        Assert.Contains("records 2, kept 2", stdout, StringComparison.Ordinal);
        var written = Directory.GetFiles(output, "*.gz", SearchOption.AllDirectories);
        Assert.Equal(records, Assert.Single(written) is { } file ? OutputDocuments.Records(Gzip.Decompress(File.ReadAllBytes(file))) : []);
    }

    [Fact]
    public async Task Filter_CompressionNotACodec_Exit2()
    {
        var (code, _, stderr) = await RunAsync("filter", "--rules", WriteRules("rules: []"), "--out", _dir, "--compression", "lz4", _dir);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("lz4", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_OneBadFile_Exit1NamesItAndProcessesTheRest()
    {
        var input = Path.Combine(_dir, "in");
        WriteGzip(Path.Combine(input, "good.json.gz"), OutputDocuments.Document([OutputDocuments.Record("RunInstances")]));
        File.WriteAllBytes(Path.Combine(input, "bad.json.gz"), Gzip.Compress("{\"Records\":[{\"a\":1}")[..^4]);
        var output = Path.Combine(_dir, "out");

        var (code, _, stderr) = await RunAsync("filter", "--rules", WriteRules("rules: []"), "--out", output, input);

        Assert.Equal(ExitCodes.InputFailed, code);
        Assert.Contains(Path.Combine(input, "bad.json.gz") + ": TruncatedGzip", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "good.json.gz")));
        Assert.False(File.Exists(Path.Combine(output, "bad.json.gz")));
    }

    [Fact]
    public async Task Filter_InvalidRules_Exit2ListingProblems()
    {
        var rules = WriteRules("""
            rules:
              - name: ""
                matches: []
              - name: x
                matches:
                  - field_name: .eventName
                    regex: "(?<=a)b"
            """);

        var (code, _, stderr) = await RunAsync("filter", "--rules", rules, "--out", _dir, _dir);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains(".eventName", stderr, StringComparison.Ordinal);
        Assert.Contains("name", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("filter", "--out", "x")]
    [InlineData("filter", "--rules", "r.yaml", "--out", "x", "--mode", "sideways", "in")]
    [InlineData("nosuchcommand")]
    public async Task Parse_BadCommandLine_Exit2(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task Filter_MissingInput_Exit2()
    {
        var (code, _, stderr) = await RunAsync("filter", "--rules", WriteRules("rules: []"), "--out", _dir, Path.Combine(_dir, "nope"));

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("nope", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidAndInvalid_ExitCodes()
    {
        var valid = WriteRules("rules:\n  - name: a\n    matches:\n      - field_name: eventName\n        regex: x\n");
        var invalid = WriteRules("version: 1.2\nrules:\n  - name: a\n    matches:\n      - field_name: eventName\n        regex: \"\"\n");

        var ok = await RunAsync("validate", valid);
        var bad = await RunAsync("validate", valid, invalid);

        Assert.Equal(0, ok.Code);
        Assert.Contains("valid, 1 rules", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageOrRules, bad.Code);
        Assert.Contains("1.2", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("regex", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_AnchorExample_JsonTotalsAndHits()
    {
        // Given the anchors' example: R1 eventName ^Test.*$, R2 eventSource ec2.amazonaws.com over four events
        var input = Path.Combine(_dir, "in.json.gz");
        WriteGzip(input, OutputDocuments.Document([
            OutputDocuments.Record("TestEvent", "s3.amazonaws.com"),
            OutputDocuments.Record("CreateBucket", "s3.amazonaws.com"),
            OutputDocuments.Record("DescribeInstances", "ec2.amazonaws.com"),
            OutputDocuments.Record("TestAnother", "lambda.amazonaws.com"),
        ]));
        var rules = WriteRules("""
            rules:
              - name: R1
                matches:
                  - field_name: eventName
                    regex: "^Test.*$"
              - name: R2
                matches:
                  - field_name: eventSource
                    regex: "ec2.amazonaws.com"
              - name: R3
                matches:
                  - field_name: eventName
                    regex: "^Never$"
            """);

        var (code, stdout, _) = await RunAsync("dryrun", "--rules", rules, "--json", input);

        Assert.Equal(0, code);
        Assert.Equal("""{"records":4,"kept":1,"dropped":3,"filterRate":0.75,"rules":{"R1":2,"R2":1,"R3":0}}""", stdout.Trim());
    }

    [Fact]
    public async Task Help_EveryCommand_ShowsExamples()
    {
        foreach (var command in new[] { "filter", "dryrun", "validate", "athena-ddl", "query", "compact", "ask", "report" })
        {
            var (code, stdout, _) = await RunAsync(command, "--help");

            Assert.Equal(0, code);
            Assert.Contains("Examples:", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Filter_ShippedSamplesWithDefaultRules_Exit0()
    {
        // The README's first command, as the test suite sees it.
        var output = Path.Combine(_dir, "out");

        var (code, stdout, stderr) = await RunAsync(
            "filter", "--rules", Path.Combine(RepoPaths.Root, "rules", "default.yaml"), "--out", output, Path.Combine(RepoPaths.Root, "samples"));

        Assert.True(code == 0, stderr);
        Assert.Contains("failed 0", stdout, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(output, "*.json.gz", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Filter_BatchHiveLayout_WritesPartitionsAthenaDdlProjects()
    {
        // Given the shipped samples (two accounts, four regions, one day)
        var output = Path.Combine(_dir, "out");

        // When filtered in batch mode with the hive layout under a prefix
        var (code, _, stderr) = await RunAsync(
            "filter", "--rules", WriteRules("rules: []"), "--out", output, "--mode", "batch", "--layout", "hive", "--prefix", "trail/", Path.Combine(RepoPaths.Root, "samples"));

        // Then every key is account=/region=/year=/month=/day=/{id}.json.gz, which the projection template names
        Assert.True(code == 0, stderr);
        var keys = Directory.GetFiles(output, "*.json.gz", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, f).Replace('\\', '/')).ToList();
        Assert.Equal(4, keys.Count);
        Assert.All(keys, k => Assert.Matches(@"^trail/account=\d{12}/region=[a-z0-9-]+/year=2026/month=10/day=01/[^/]+\.json\.gz$", k));
        Assert.Contains(keys, k => k.StartsWith("trail/account=534439589175/region=us-east-1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Filter_LayoutInMirrorMode_Exit2()
    {
        var (code, _, stderr) = await RunAsync("filter", "--rules", WriteRules("rules: []"), "--out", _dir, "--layout", "hive", Path.Combine(RepoPaths.Root, "samples"));

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("--layout applies to --mode batch", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", "com.amazon.emr.hive.serde.CloudTrailSerde")]
    [InlineData("parquet", "ParquetHiveSerDe")]
    public async Task AthenaDdl_Location_PrintsTableWithProjection(string format, string serde)
    {
        var (code, stdout, stderr) = await RunAsync("athena-ddl", "--location", "s3://filtered/trail", "--format", format, "--accounts", "111122223333", "444455556666");

        Assert.True(code == 0, stderr);
        Assert.StartsWith("CREATE EXTERNAL TABLE IF NOT EXISTS cloudtrail (", stdout, StringComparison.Ordinal);
        Assert.Contains(serde, stdout, StringComparison.Ordinal);
        Assert.Contains("LOCATION 's3://filtered/trail/'", stdout, StringComparison.Ordinal);
        Assert.Contains("'projection.account.values'='111122223333,444455556666'", stdout, StringComparison.Ordinal);
        Assert.Contains("'storage.location.template'='s3://filtered/trail/account=${account}/region=${region}/year=${year}/month=${month}/day=${day}/'", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--location", "out/trail")]
    [InlineData("--location", "s3://b/p", "--table", "x; DROP TABLE y")]
    [InlineData("--location", "s3://b/p", "--format", "csv")]
    public async Task AthenaDdl_BadInput_Exit2(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(["athena-ddl", .. args]);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task Query_SamplesCountByAccount_CsvWithEveryRecord()
    {
        var samples = Path.Combine(RepoPaths.Root, "samples");

        var (code, stdout, stderr) = await RunAsync("query", "SELECT account, count(*) AS n FROM cloudtrail GROUP BY account ORDER BY account", "--data", samples, "--format", "csv");

        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal("account,n", lines[0]);
        Assert.Equal(["154335349840", "534439589175"], lines[1..].Select(l => l.Split(',')[0]));
        var total = Directory.GetFiles(samples, "*.json.gz", SearchOption.AllDirectories)
            .Sum(f => OutputDocuments.Records(Gzip.Decompress(File.ReadAllBytes(f))).Count);
        Assert.Equal(total, lines[1..].Sum(l => int.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("SELECT nosuchcolumn FROM cloudtrail", 1, "nosuchcolumn")]
    [InlineData("SELECT 1", 2, "missing-folder")]
    public async Task Query_BadSqlOrMissingData_ExitCodeAndReason(string sql, int expected, string reason)
    {
        var data = expected == 2 ? Path.Combine(_dir, "missing-folder") : Path.Combine(RepoPaths.Root, "samples");

        var (code, _, stderr) = await RunAsync("query", sql, "--data", data);

        Assert.Equal(expected, code);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_SamplesInCloudTrailLayout_ParquetQueryableWithSameCount()
    {
        var samples = Path.Combine(RepoPaths.Root, "samples");
        var output = Path.Combine(_dir, "parquet");

        var (code, stdout, stderr) = await RunAsync("compact", "--input", samples, "--output", output);
        var before = await RunAsync("query", "SELECT count(*) FROM cloudtrail", "--data", samples, "--format", "csv");
        var after = await RunAsync("query", "SELECT count(*) FROM cloudtrail", "--data", output, "--format", "csv");

        Assert.True(code == 0, stderr);
        Assert.Contains("partitions 4 (failed 0), objects 4", stdout, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(output, "compacted-g000001-0000.parquet", SearchOption.AllDirectories).Length);
        Assert.Equal(before.Stdout, after.Stdout);
    }

    [Fact]
    public async Task Compact_CorruptObject_Exit1NamesItAndCompactsTheRest()
    {
        var input = Path.Combine(_dir, "in");
        WriteGzip(Path.Combine(input, "account=111122223333/region=eu-west-1/year=2026/month=10/day=01/ok.json.gz"), OutputDocuments.Document([OutputDocuments.Record("RunInstances")]));
        var bad = Path.Combine(input, "account=111122223333/region=eu-west-1/year=2026/month=10/day=02/bad.json.gz");
        WriteGzip(bad, "{\"Records\":[{\"eventName\":");
        var output = Path.Combine(_dir, "out");

        var (code, stdout, stderr) = await RunAsync("compact", "--input", input, "--output", output, "--delete-source");

        Assert.Equal(ExitCodes.InputFailed, code);
        Assert.Contains("partitions 2 (failed 1)", stdout, StringComparison.Ordinal);
        Assert.Contains(bad, stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(bad));
        Assert.Single(Directory.GetFiles(output, "*.parquet", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("--target-size", "lots")]
    [InlineData("--from", "2026-13-01")]
    public async Task Compact_BadOption_Exit2(string option, string value)
    {
        var (code, _, stderr) = await RunAsync("compact", "--input", Path.Combine(RepoPaths.Root, "samples"), "--output", _dir, option, value);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_Samples_PrintsSqlThenRunsIt()
    {
        var (code, stdout, stderr) = await RunAsync("ask", "how many events in account 534439589175", "--data", Path.Combine(RepoPaths.Root, "samples"), "--format", "csv", "--explain");
        var direct = await RunAsync("query", "SELECT count(*) AS events FROM cloudtrail WHERE account = '534439589175'", "--data", Path.Combine(RepoPaths.Root, "samples"), "--format", "csv");

        Assert.True(code == 0, stderr);
        Assert.Contains("-- \"in account 534439589175\": account 534439589175", stdout, StringComparison.Ordinal);
        Assert.Contains("WHERE account = '534439589175';", stdout, StringComparison.Ordinal);
        Assert.EndsWith(direct.Stdout, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_NotUnderstood_Exit2NamesTheWordsAndRunsNothing()
    {
        var (code, stdout, stderr) = await RunAsync("ask", "failed logins by the gardener's cat", "--data", Path.Combine(RepoPaths.Root, "samples"));

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("not understood: \"gardener's\", \"cat\"", stderr, StringComparison.Ordinal);
        Assert.Contains("-- \"failed\"", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Ask_AthenaDialect_PrintsOnly()
    {
        var (code, stdout, _) = await RunAsync("ask", "how many s3 events yesterday", "--dialect", "athena", "--table", "sec.trail", "--accounts", "111122223333", "--now", "2026-11-25T10:00:00Z");

        Assert.Equal(0, code);
        Assert.Equal(
            "SELECT count(*) AS events\nFROM sec.trail\nWHERE eventsource = 's3.amazonaws.com'\n  AND account = '111122223333'\n  AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('2026-11-24T00:00:00Z')\n  AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp('2026-11-25T00:00:00Z')\n  AND year = '2026' AND month = '11' AND day = '24';\n",
            stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Report_SamplesMonth_JsonAndHtmlPerAccountAndIndex()
    {
        var output = Path.Combine(_dir, "reports");

        var (code, stdout, stderr) = await RunAsync("report", "--month", "2026-10", "--data", Path.Combine(RepoPaths.Root, "samples"), "--out", output);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("report 2026-10: accounts 2, events 1000, data files 4, findings none (no findings prefix), wrote 6 files", stdout, StringComparison.Ordinal);
        foreach (var name in new[] { "154335349840.json", "154335349840.html", "534439589175.json", "534439589175.html", "index.html", "index.json" })
        {
            Assert.True(File.Exists(Path.Combine(output, "2026-10", name)), name);
        }
    }

    [Theory]
    [InlineData("--month", "last-ish")]
    [InlineData("--data", "no-such-folder")]
    public async Task Report_BadOption_Exit2(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--month"] = "2026-10", ["--data"] = Path.Combine(RepoPaths.Root, "samples"), ["--out"] = _dir };
        args[option] = value;

        var (code, _, stderr) = await RunAsync(["report", .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains(value, stderr, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    private string WriteRules(string yaml)
    {
        var path = Path.Combine(_dir, $"rules-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static void WriteGzip(string path, string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Gzip.Compress(json));
    }
}
