using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Analytics;

/// <summary>
/// <c>trailsieve report</c> and <c>compact</c> against a real S3 API, over the deploy/ecs layout of the output bucket:
/// records under <c>records/</c> (Hive layout), findings under <c>alerts/yyyy/MM/dd/</c>.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class AnalyticsS3Tests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const string A = "111122223333";
    private const string B = "444455556666";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private string _bucket = "";

    public async Task InitializeAsync()
    {
        _bucket = await aws.CreateBucketAsync("analytics");
        var id = 0;
        foreach (var (account, region, day, count) in new[] { (A, "us-east-1", "2026-10-01", 30), (A, "us-east-1", "2026-10-02", 20), (A, "eu-west-1", "2026-10-02", 10), (B, "eu-west-1", "2026-10-05", 5), (A, "us-east-1", "2026-09-30", 7) })
        {
            var records = Enumerable.Range(id, count).Select(i => TrailData.Record(i, account, region, day)).ToList();
            id += count;
            await PutAsync(string.Create(CultureInfo.InvariantCulture, $"records/account={account}/region={region}/year={day[..4]}/month={day[5..7]}/day={day[8..]}/part-{id}.json.gz"), TrailData.File(records));
        }

        await PutAsync("alerts/2026/10/05/findings-1.jsonl.gz", Gzip($$"""{"detection":"x","severity":"high","eventTime":"2026-10-05T01:00:00Z","recipientAccountId":"{{A}}"}""" + "\n"));
        await PutAsync("alerts/2026/09/30/findings-0.jsonl.gz", Gzip($$"""{"detection":"x","severity":"high","eventTime":"2026-09-30T01:00:00Z","recipientAccountId":"{{A}}"}""" + "\n"));
    }

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_bucket);
        _s3.Dispose();
    }

    [Fact]
    public async Task Report_DeployLayout_EveryAccountOfTheMonthWithTheFindingsOfAlerts()
    {
        // When the report runs as the scheduled task does
        var (code, run) = await CliProcess.RunAsync(
            aws, Timeout, "report", "--month", "2026-10", "--data", $"s3://{_bucket}/records/", "--findings", $"s3://{_bucket}/alerts/", "--out", $"s3://{_bucket}/reports/");

        // Then
        Assert.True(code == 0, run.Errors);
        Assert.Contains("accounts 2, events 65, data files 4, findings 1 files", run.Output, StringComparison.Ordinal);
        using var a = await ReadJsonAsync($"reports/2026-10/{A}.json");
        Assert.Equal(60, a.RootElement.GetProperty("totalEvents").GetInt32());
        var findings = a.RootElement.GetProperty("findingsBySeverity").EnumerateArray().Single();
        Assert.Equal(("high", 1), (findings.GetProperty("name").GetString(), findings.GetProperty("count").GetInt32()));
        using var index = await ReadJsonAsync("reports/2026-10/index.json");
        Assert.Equal([A, B], index.RootElement.GetProperty("accounts").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Compact_ThenReportOverTheParquet_SameFiguresAndSourcesDeleted()
    {
        // When the records are compacted beside records/, sources deleted, and the Parquet reported on
        var (compacted, compact) = await CliProcess.RunAsync(aws, Timeout, "compact", "-i", $"s3://{_bucket}/records/", "-o", $"s3://{_bucket}/parquet/", "--delete-source");
        var (reported, report) = await CliProcess.RunAsync(
            aws, Timeout, "report", "--month", "2026-10", "--accounts", A, "--data", $"s3://{_bucket}/parquet/", "--findings", $"s3://{_bucket}/alerts/", "--out", $"s3://{_bucket}/reports/");

        // Then
        Assert.True(compacted == 0, compact.Errors);
        var keys = await KeysAsync();
        Assert.DoesNotContain(keys, k => k.StartsWith("records/", StringComparison.Ordinal));
        Assert.Equal(5, keys.Count(k => k.StartsWith("parquet/", StringComparison.Ordinal) && k.EndsWith("/compacted-g000001-0000.parquet", StringComparison.Ordinal)));
        Assert.True(reported == 0, report.Errors);
        using var a = await ReadJsonAsync($"reports/2026-10/{A}.json");
        Assert.Equal(60, a.RootElement.GetProperty("totalEvents").GetInt32());
    }

    [Theory]
    [InlineData("compact", "-i", "s3://{missing}/records/", "-o", "s3://{bucket}/parquet/")]
    [InlineData("report", "--month", "2026-10", "--data", "s3://{missing}/records/", "--out", "s3://{bucket}/reports/")]
    public async Task Command_NoSuchBucket_Exit3NamingTheBucket(params string[] args)
    {
        // Given a bucket that does not exist
        var missing = "trailsieve-missing-" + Guid.NewGuid().ToString("N")[..12];

        // When
        var (code, run) = await CliProcess.RunAsync(aws, Timeout, [.. args.Select(a => a.Replace("{missing}", missing, StringComparison.Ordinal).Replace("{bucket}", _bucket, StringComparison.Ordinal))]);

        // Then a plain message naming the bucket, no stack trace
        Assert.Equal(3, code);
        Assert.Contains($"s3://{missing}/records/", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Errors, StringComparison.Ordinal);
    }

    private async Task PutAsync(string key, byte[] bytes) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = new MemoryStream(bytes) });

    private async Task<JsonDocument> ReadJsonAsync(string key)
    {
        using var response = await _s3.GetObjectAsync(_bucket, key);
        return await JsonDocument.ParseAsync(response.ResponseStream);
    }

    private async Task<List<string>> KeysAsync()
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket };
        while (true)
        {
            var page = await _s3.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            if (page.IsTruncated != true)
            {
                return keys;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
