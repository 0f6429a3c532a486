using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Backfill;

/// <summary>
/// <c>trailsieve backfill</c> against a real S3+SQS API: processing by date partitions with a checkpoint, rules from
/// the configured source, detections with their logs and metrics, the dry run and prefixes. Fanning out to two
/// service workers is <see cref="BackfillFanOutTests"/>.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class BackfillTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const string Org = "AWSLogs/o-abc123defg/";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private readonly string _rules = TrailData.WriteRules();
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-backfill-").FullName;
    private readonly Dictionary<string, List<string>> _records = new(StringComparer.Ordinal);
    private string _source = "";
    private string _output = "";

    public async Task InitializeAsync()
    {
        _source = await aws.CreateBucketAsync("bf-src");
        _output = await aws.CreateBucketAsync("bf-out");

        // Two accounts × two regions × three days × two files, plus what backfill must not pick up.
        var id = 0;
        foreach (var account in new[] { "111122223333", "444455556666" })
        {
            foreach (var region in new[] { "eu-west-1", "us-east-1" })
            {
                for (var day = 1; day <= 3; day++)
                {
                    for (var n = 0; n < 2; n++)
                    {
                        var date = string.Create(CultureInfo.InvariantCulture, $"2026-01-{day:D2}");
                        var records = Enumerable.Range(id, 30).Select(i => TrailData.Record(i, account, region, date)).ToList();
                        id += 30;
                        var key = string.Create(CultureInfo.InvariantCulture, $"{Org}{account}/CloudTrail/{region}/2026/01/{day:D2}/{account}_CloudTrail_{region}_202601{day:D2}T10{n}0Z_f{n}.json.gz");
                        await PutAsync(key, TrailData.File(records));
                        _records[key] = records;
                    }
                }
            }
        }

        await PutAsync(Org + "111122223333/CloudTrail-Digest/eu-west-1/2026/01/01/digest.json.gz", TrailData.File([]));
        await PutAsync("elsewhere/111122223333/CloudTrail/eu-west-1/2026/01/01/x.json.gz", TrailData.File([TrailData.Record(99999)]));
    }

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_source);
        await aws.DeleteBucketAsync(_output);
        File.Delete(_rules);
        Directory.Delete(_dir, recursive: true);
        _s3.Dispose();
    }

    [Fact]
    public async Task Backfill_MirrorWithCheckpoint_WritesTheKeptRecordsOfTheRangeAndARerunSkipsEverything()
    {
        var checkpoint = Path.Combine(_dir, "jan.json");
        string[] args =
        [
            "backfill", "--bucket", _source, "--from", "2026-01-02", "--to", "2026-01-04", "--accounts", "111122223333,444455556666",
            "--rules", _rules, "--output-bucket", _output, "--output-prefix", "filtered/", "--mode", "mirror", "--checkpoint", checkpoint,
        ];

        var (code, first) = await CliProcess.RunAsync(aws, Timeout, args);

        Assert.True(code == 0, first.Errors);
        var inRange = _records.Where(r => !r.Key.Contains("/2026/01/01/", StringComparison.Ordinal)).ToList();
        var outputs = await BucketReader.ReadAllAsync(_s3, _output);
        Assert.Equal(inRange.Select(r => "filtered/" + r.Key).Order(StringComparer.Ordinal), outputs.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, records) in inRange)
        {
            Assert.Equal(TrailData.Kept(records), TrailData.RecordsOf(outputs["filtered/" + key]));
        }

        Assert.Contains("partitions 8 (done 8), files 16 (failed 0, skipped 0), records 480", first.Output, StringComparison.Ordinal);

        var (again, second) = await CliProcess.RunAsync(aws, Timeout, args);

        Assert.True(again == 0, second.Errors);
        Assert.Contains("skipped as already done", second.Output, StringComparison.Ordinal);
        Assert.Contains(": 8 partitions, 0 more objects", second.Output, StringComparison.Ordinal);
        Assert.Contains("files 0 (failed 0, skipped 0)", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_WithoutRulesOption_TakesTheRulesFromTheConfiguredS3SourceLikeRun()
    {
        await PutAsync("config/rules.yaml", System.Text.Encoding.UTF8.GetBytes(TrailData.Rules));
        var settings = new Dictionary<string, string?>
        {
            ["CONFIG_SOURCE"] = "s3",
            ["CONFIG_S3_PATH"] = $"s3://{_source}/config/rules.yaml",
            ["CLOUDTRAIL_OUTPUT_BUCKET_NAME"] = _output,
        };
        using var cli = CliProcess.Start(
            aws, ["backfill", "--bucket", _source, "--prefix", Org + "444455556666/CloudTrail/us-east-1/", "--from", "2026-01-03", "--to", "2026-01-04", "--mode", "mirror"], settings);

        var code = await cli.WaitAsync(Timeout);

        Assert.True(code == 0, cli.Errors);
        var outputs = await BucketReader.ReadAllAsync(_s3, _output);
        var expected = _records.Where(r => r.Key.StartsWith(Org + "444455556666/CloudTrail/us-east-1/2026/01/03/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.Select(r => r.Key).Order(StringComparer.Ordinal), outputs.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, r => Assert.Equal(TrailData.Kept(r.Value), TrailData.RecordsOf(outputs[r.Key])));
    }

    [Fact]
    public async Task Backfill_WithDetections_WritesFindingsForDroppedRecordsUnderTheAlertsPrefixByDay()
    {
        var detections = await WriteDescribeDetectionAsync("low");

        var (code, run) = await CliProcess.RunAsync(
            aws, Timeout, "backfill", "--bucket", _source, "--accounts", "111122223333", "--regions", "eu-west-1", "--from", "2026-01-02", "--to", "2026-01-03",
            "--rules", _rules, "--output-bucket", _output, "--mode", "mirror", "--detections", detections, "--alerts-prefix", "findings/");

        Assert.True(code == 0, run.Errors);
        var sources = _records.Where(r => r.Key.Contains("/111122223333/CloudTrail/eu-west-1/2026/01/02/", StringComparison.Ordinal)).ToList();
        var dropped = sources.SelectMany(r => r.Value).Where(r => r.Contains("\"DescribeInstances\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dropped);
        var outputs = await BucketReader.ReadAllAsync(_s3, _output);
        var alerts = outputs.Where(o => o.Key.StartsWith("findings/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Matches(@"^findings/\d{4}/\d{2}/\d{2}/findings-[^/]+\.jsonl\.gz$", a.Key));
        var findings = alerts.SelectMany(a => Lines(a.Value)).ToList();
        Assert.Equal(dropped.Count, findings.Count);
        foreach (var record in dropped)
        {
            Assert.Single(findings, f => f.Contains("\"record\":" + record, StringComparison.Ordinal));
        }

        Assert.Contains($"findings {dropped.Count}", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_JsonLogsAndMetrics_EachFindingLogsItsWarningAndTheLastEmfIntervalHasFindingsAndRecords()
    {
        // Given a detection that flags every DescribeInstances, JSON logs and EMF metrics as on ECS (the flush interval
        // is a minute, far longer than the run, so only the final flush can write the metrics)
        var detections = await WriteDescribeDetectionAsync("high");
        var settings = new Dictionary<string, string?> { ["TRAILSIEVE_LOG_FORMAT"] = "json", ["METRICS_ENABLED"] = "true", ["METRICS_NAMESPACE"] = "BackfillTest" };

        // When a day of one account and region is backfilled
        using var cli = CliProcess.Start(
            aws,
            ["backfill", "--bucket", _source, "--prefix", Org + "111122223333/CloudTrail/eu-west-1/2026/01/02/", "--rules", _rules, "--output-bucket", _output, "--mode", "mirror", "--detections", detections],
            settings);
        var code = await cli.WaitAsync(Timeout);

        // Then every finding logged its Warning (event 600) as a JSON line, and the EMF documents count the findings
        // (by Detection and Severity) and the records
        Assert.True(code == 0, cli.Errors);
        var records = _records.Where(r => r.Key.Contains("/111122223333/CloudTrail/eu-west-1/2026/01/02/", StringComparison.Ordinal)).SelectMany(r => r.Value).ToList();
        var flagged = records.Count(r => r.Contains("\"DescribeInstances\"", StringComparison.Ordinal));
        Assert.True(flagged > 0);
        var json = cli.Stdout.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var warnings = json.Where(j => j.TryGetProperty("EventId", out var id) && id.GetInt32() == 600).ToList();
        Assert.Equal(flagged, warnings.Count);
        Assert.All(warnings, w => Assert.Equal("Warning", w.GetProperty("LogLevel").GetString()));
        var emf = json.Where(j => j.TryGetProperty("_aws", out _)).ToList();
        Assert.NotEmpty(emf);
        Assert.All(emf, d => Assert.Equal("BackfillTest", d.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString()));
        Assert.Equal(flagged, emf.Where(d => d.TryGetProperty("Findings", out _) && d.GetProperty("Severity").GetString() == "high").Sum(d => d.GetProperty("Findings").GetDouble()));
        Assert.Equal(records.Count, emf.Where(d => d.TryGetProperty("RecordsProcessed", out _)).Sum(d => d.GetProperty("RecordsProcessed").GetDouble()));
    }

    [Fact]
    public async Task Backfill_DryRun_PrintsObjectsBytesAndPartitionsAndTheEstimateOfTheSlowerLimit()
    {
        // Given the eu-west-1 half of the trail: 12 objects in 6 day partitions, a few kB
        var listed = _records.Where(r => r.Key.Contains("/eu-west-1/", StringComparison.Ordinal)).ToList();
        var bytes = listed.Sum(r => (long)TrailData.File(r.Value).Length);

        // When it is dry-run at 1 MB/s and 2 objects/s per task, for 3 tasks
        var (code, run) = await CliProcess.RunAsync(
            aws, Timeout, "backfill", "--bucket", _source, "--regions", "eu-west-1", "--dry-run", "--rate", "1", "--object-rate", "2", "--tasks", "3");

        // Then it prints exactly what it listed, and the objects' time (6 s, against milliseconds of bytes), shared by 3
        Assert.True(code == 0, run.Errors);
        Assert.Equal(12, listed.Count);
        Assert.Contains($"dry run: partitions 6 to do, objects 12, {Worker.Backfill.BackfillProgress.FormatBytes(bytes)} compressed; listed in ", run.Output, StringComparison.Ordinal);
        Assert.Contains("estimate per task at 1.0 MB/s compressed and 2 objects/s (objects take longer): 0:00:06 with 1 task, 0:00:02 with 3 tasks", run.Output, StringComparison.Ordinal);
        Assert.Empty(await BucketReader.ReadAllAsync(_s3, _output));
    }

    [Fact]
    public async Task Backfill_MonthPrefix_FindsThatMonthAndATypoInItExits4NamingSourceAndFilters()
    {
        // Given a month prefix of one account and region, and the same prefix with a typo in the account
        var month = Org + "444455556666/CloudTrail/us-east-1/2026/01/";
        var typo = Org + "444455556667/CloudTrail/us-east-1/2026/01/";

        // When each is dry-run
        var (code, found) = await CliProcess.RunAsync(aws, Timeout, "backfill", "--bucket", _source, "--prefix", month, "--dry-run");
        var (missing, nothing) = await CliProcess.RunAsync(aws, Timeout, "backfill", "--bucket", _source, "--prefix", typo, "--regions", "us-east-1", "--dry-run");

        // Then the month's six objects are found, and the typo is an error that says what matched nothing
        Assert.True(code == 0, found.Errors);
        Assert.Contains("objects 6, ", found.Output, StringComparison.Ordinal);
        Assert.Equal(4, missing);
        Assert.Contains(
            $"backfill: no CloudTrail object found in s3://{_source}/{typo} (all accounts; regions us-east-1; all days; 31 day partitions looked at)",
            nothing.Errors,
            StringComparison.Ordinal);
    }

    /// <summary>A detection file flagging every DescribeInstances (which the rules drop), at <paramref name="severity"/>.</summary>
    private async Task<string> WriteDescribeDetectionAsync(string severity)
    {
        var path = Path.Combine(_dir, $"describes-{severity}.yaml");
        await File.WriteAllTextAsync(path, $"""
            detections:
              - name: describe calls
                severity: {severity}
                description: DescribeInstances, which the rules drop
                matches:
                  - field_name: eventName
                    equals: DescribeInstances
            """);
        return path;
    }

    private static string[] Lines(byte[] gzip)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(input);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task PutAsync(string key, byte[] bytes) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _source, Key = key, InputStream = new MemoryStream(bytes) });
}
