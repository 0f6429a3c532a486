using System.Text.Json;
using System.Text.RegularExpressions;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

/// <summary><c>filter --format ocsf</c> end to end on local files, the Parquet read back with DuckDB.</summary>
public sealed partial class FilterOcsfTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-ocsf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Filter_FormatOcsf_WritesOneZstdParquetObjectPerPartitionAndClassInSecurityLakesLayout()
    {
        // Given files of API calls, sign-ins and IAM user changes in two accounts and regions, one record twice, one
        // record without an eventTime, and a rule dropping Describe calls
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        var twice = OutputDocuments.Record("RunInstances", id: 1);
        string[] first =
        [
            twice,
            OutputDocuments.Record("DescribeInstances", id: 2),
            OutputDocuments.Record("ConsoleLogin", "signin.amazonaws.com", id: 3),
            OutputDocuments.Record("CreateUser", "iam.amazonaws.com", id: 4),
            """{"eventSource":"ec2.amazonaws.com","eventName":"StopInstances","eventID":"5","awsRegion":"us-east-1","recipientAccountId":"111122223333"}""",
            twice,
        ];
        string[] second =
        [
            OutputDocuments.Record("PutObject", "s3.amazonaws.com", account: "444455556666", region: "eu-west-1", time: "2026-01-03T00:00:01Z", id: 6),
            OutputDocuments.Record("AttachUserPolicy", "iam.amazonaws.com", account: "444455556666", region: "eu-west-1", time: "2026-01-03T00:00:02Z", id: 7),
            OutputDocuments.Record("DeleteBucket", "s3.amazonaws.com", account: "444455556666", region: "eu-west-1", time: "2026-01-03T00:00:03Z", id: 8),
        ];
        await File.WriteAllBytesAsync(Path.Combine(input, "a.json.gz"), Gzip.Compress(OutputDocuments.Document(first)));
        await File.WriteAllBytesAsync(Path.Combine(input, "b.json.gz"), Gzip.Compress(OutputDocuments.Document(second)));
        var rules = Path.Combine(_dir, "rules.yaml");
        await File.WriteAllTextAsync(rules, "rules:\n  - name: no describes\n    matches:\n      - field_name: eventName\n        prefix: Describe\n");
        var output = Path.Combine(_dir, "out");

        // When filtered to OCSF
        var (code, stdout, stderr) = await CliRunner.RunAsync("filter", "--rules", rules, "--out", output, "--format", "ocsf", input);

        // Then both files succeed; the record without a time is quarantined (not lost, not failing its file), the
        // duplicate written once, the Describe dropped
        Assert.True(code == 0, stderr);
        Assert.Contains("files 2 (failed 0, skipped 0), records 8, kept 7, dropped 1, quarantined 1, deduplicated 1,", stdout, StringComparison.Ordinal);

        // and each object is ext/<source>-<class>/region=/accountId=/eventDay=/<time>_<id>.parquet, one per partition and class
        var files = Directory.GetFiles(Path.Combine(output, "ext"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        var partitions = files.Select(f => KeyPattern().Match(f)).ToList();
        Assert.All(partitions, m => Assert.True(m.Success, m.Value));
        Assert.Equal(
            [
                "3001 eu-west-1 444455556666 20260103", "3001 us-east-1 111122223333 20260102", "3002 us-east-1 111122223333 20260102",
                "6003 eu-west-1 444455556666 20260103", "6003 us-east-1 111122223333 20260102",
            ],
            partitions.Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value} {m.Groups[4].Value}"));

        // and each file holds one class, of its folder's partition, zstd-compressed; their rows are the kept records written
        var rows = 0;
        foreach (var (file, partition) in files.Zip(partitions))
        {
            var path = Path.Combine(output, file);
            Assert.Equal(partition.Groups[1].Value, ParquetFiles.Scalar(path, "select string_agg(distinct class_uid::varchar, ',') from read_parquet({f})"));
            Assert.Equal(
                $"{partition.Groups[2].Value} {partition.Groups[3].Value} {partition.Groups[4].Value}",
                ParquetFiles.Scalar(path, "select string_agg(distinct cloud.region || ' ' || cloud.account.uid || ' ' || strftime(make_timestamp(time * 1000), '%Y%m%d'), ',') from read_parquet({f})"));
            Assert.Equal("ZSTD", ParquetFiles.Scalar(path, "select string_agg(distinct compression, ',') from parquet_metadata({f})"));
            rows += int.Parse(ParquetFiles.Scalar(path, "select count(*) from read_parquet({f})")!, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(7 - 1, rows);

        // and the attributes are there: a sign-in is an Authentication logon with its user, raw_data is the record
        var signin = Path.Combine(output, files.Single(f => f.Contains("trailsieve-3002", StringComparison.Ordinal)));
        var row = Assert.Single(ParquetFiles.Query(signin, "select type_uid, activity_name, metadata.version, metadata.product.vendor_name, api.operation, cloud.provider, status_id, raw_data from read_parquet({f})"));
        Assert.Equal(
            ["300201", "Logon", "1.1.0", "AWS", "ConsoleLogin", "AWS", "1", OutputDocuments.Record("ConsoleLogin", "signin.amazonaws.com", id: 3)],
            row.Select(v => v ?? "(null)"));

        // and the record OCSF could not map is in the quarantine, named with its object and why
        var quarantine = Assert.Single(Directory.GetFiles(Path.Combine(output, "quarantine"), "*.jsonl.gz", SearchOption.AllDirectories));
        var line = JsonSerializer.Deserialize<JsonElement>(Gzip.Decompress(await File.ReadAllBytesAsync(quarantine)));
        Assert.Equal(Path.Combine(input, "a.json.gz"), line.GetProperty("source").GetString());
        Assert.Equal((4L, "Unmappable", "not mappable to OCSF: eventTime is missing"), (line.GetProperty("index").GetInt64(), line.GetProperty("kind").GetString(), line.GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData("unmapped")]
    [InlineData("none")]
    public async Task Filter_OcsfRawDataOption_ChoosesWhereTheRecordIsKept(string option)
    {
        // Given one record
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        var record = OutputDocuments.Record("RunInstances", id: 1).Replace("\"eventVersion\":\"1.09\",", "\"eventVersion\":\"1.09\",\"sharedEventID\":\"s-1\",", StringComparison.Ordinal);
        await File.WriteAllBytesAsync(Path.Combine(input, "a.json.gz"), Gzip.Compress(OutputDocuments.Document([record])));
        var rules = Path.Combine(_dir, "rules.yaml");
        await File.WriteAllTextAsync(rules, "rules: []\n");
        var output = Path.Combine(_dir, "out");

        // When written with --ocsf-raw-data
        var (code, _, stderr) = await CliRunner.RunAsync("filter", "--rules", rules, "--out", output, "--format", "ocsf", "--ocsf-raw-data", option, "--ocsf-source", "mylake", input);

        // Then raw_data is empty, and unmapped holds the fields no attribute holds (or nothing)
        Assert.True(code == 0, stderr);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(output, "ext", "mylake-6003"), "*.parquet", SearchOption.AllDirectories));
        var row = Assert.Single(ParquetFiles.Query(file, "select raw_data, unmapped['sharedEventID'], unmapped['eventVersion'] from read_parquet({f})"));
        Assert.Null(row[0]);
        Assert.Equal(option == "unmapped" ? "s-1" : null, row[1]);
        Assert.Null(row[2]);
    }

    [Fact]
    public async Task Filter_OcsfSourceVersion_PutsEveryObjectUnderTheVersionFolder()
    {
        // Given one API call and one sign-in
        var input = Path.Combine(_dir, "in.json");
        await File.WriteAllTextAsync(input, OutputDocuments.Document([OutputDocuments.Record("RunInstances", id: 1), OutputDocuments.Record("ConsoleLogin", "signin.amazonaws.com", id: 2)]));
        var rules = Path.Combine(_dir, "rules.yaml");
        await File.WriteAllTextAsync(rules, "rules: []\n");
        var output = Path.Combine(_dir, "out");

        // When filtered to OCSF for a source created with version 2
        var (code, _, stderr) = await CliRunner.RunAsync("filter", "--rules", rules, "--out", output, "--format", "ocsf", "--ocsf-source", "mylake", "--ocsf-source-version", "2", input);

        // Then each class's object is under its source's version folder
        Assert.True(code == 0, stderr);
        var folders = Directory.GetFiles(Path.Combine(output, "ext"), "*.parquet", SearchOption.AllDirectories)
            .Select(f => string.Join('/', Path.GetRelativePath(output, f).Replace('\\', '/').Split('/')[..4]))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["ext/mylake-3002/2/region=us-east-1", "ext/mylake-6003/2/region=us-east-1"], folders);
    }

    [Fact]
    public async Task Filter_BadOcsfSourceVersion_IsAUsageErrorNamingTheSetting()
    {
        var input = Path.Combine(_dir, "in.json");
        await File.WriteAllTextAsync(input, OutputDocuments.Document([OutputDocuments.Record("RunInstances", id: 1)]));
        var rules = Path.Combine(_dir, "rules.yaml");
        await File.WriteAllTextAsync(rules, "rules: []\n");

        var (code, _, stderr) = await CliRunner.RunAsync("filter", "--rules", rules, "--out", Path.Combine(_dir, "out"), "--format", "ocsf", "--ocsf-source-version", "v/2", input);

        Assert.Equal(2, code);
        Assert.Contains("Output:OcsfSourceVersion", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out", "ext")));
    }

    [Fact]
    public async Task Filter_FormatOcsfInMirrorMode_IsAUsageErrorSayingWhy()
    {
        var rules = Path.Combine(_dir, "rules.yaml");
        await File.WriteAllTextAsync(rules, "rules: []\n");

        var (code, _, stderr) = await CliRunner.RunAsync("filter", "--rules", rules, "--out", Path.Combine(_dir, "out"), "--format", "ocsf", "--mode", "mirror", _dir);

        Assert.Equal(2, code);
        Assert.Contains("Output:Format: ocsf needs Output:Mode batch", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_FormatOcsfWithLayout_IsAUsageError()
    {
        var rules = Path.Combine(_dir, "rules.yaml");
        await File.WriteAllTextAsync(rules, "rules: []\n");

        var (code, _, stderr) = await CliRunner.RunAsync("filter", "--rules", rules, "--out", Path.Combine(_dir, "out"), "--format", "ocsf", "--layout", "hive", _dir);

        Assert.Equal(2, code);
        Assert.Contains("--layout applies to --format cloudtrail only", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AthenaDdl_FormatOcsf_PrintsOneTablePerClass()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("athena-ddl", "--location", "s3://lake/", "--format", "ocsf", "--table", "security.ts", "--ocsf-source", "mylake");

        Assert.True(code == 0, stderr);
        Assert.Contains("CREATE EXTERNAL TABLE IF NOT EXISTS security.ts_api_activity (", stdout, StringComparison.Ordinal);
        Assert.Contains("LOCATION 's3://lake/ext/mylake-3002/'", stdout, StringComparison.Ordinal);
        Assert.Contains("'storage.location.template'='s3://lake/ext/mylake-3001/region=${region}/accountId=${accountid}/eventDay=${eventday}/'", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AthenaDdl_BadOcsfSource_IsAUsageErrorNamingIt()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("athena-ddl", "--location", "s3://lake/", "--format", "ocsf", "--ocsf-source", "no/slashes");

        Assert.Equal(2, code);
        Assert.Contains("'no/slashes'", stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^ext/trailsieve-(\d{4})/region=([a-z0-9-]+)/accountId=(\d{12})/eventDay=(\d{8})/\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.parquet$")]
    private static partial Regex KeyPattern();
}
