using System.Globalization;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Backfill;

/// <summary>
/// <c>trailsieve backfill</c> with the service's key filter (<c>Sqs:ExcludeKeys</c>) against a real S3 API: an excluded
/// object is listed and counted, never downloaded; a bad entry stops the run at start.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class BackfillKeyFilterTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const string Kept = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/01/";
    private const string Excluded = "AWSLogs/444455556666/";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private readonly string _rules = TrailData.WriteRules();
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-backfill-keys-").FullName;
    private readonly Dictionary<string, List<string>> _records = new(StringComparer.Ordinal);
    private string _source = "";
    private string _output = "";

    public async Task InitializeAsync()
    {
        _source = await aws.CreateBucketAsync("bf-keys-src");
        _output = await aws.CreateBucketAsync("bf-keys-out");
        for (var n = 0; n < 2; n++)
        {
            var records = Enumerable.Range(n * 20, 20).Select(i => TrailData.Record(i, "111122223333", "eu-west-1", "2026-01-01")).ToList();
            var key = string.Create(CultureInfo.InvariantCulture, $"{Kept}111122223333_CloudTrail_eu-west-1_20260101T10{n}0Z_f{n}.json.gz");
            await PutAsync(key, TrailData.File(records));
            _records[key] = records;
        }

        // Not gzip and not JSON: had it been downloaded, it would have failed the run with exit 1.
        await PutAsync(Excluded + "CloudTrail/eu-west-1/2026/01/01/444455556666_CloudTrail_eu-west-1_20260101T1000Z_bad.json.gz", Encoding.UTF8.GetBytes("corrupt, not gzip"));
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
    public async Task Backfill_ExcludedCorruptObject_IsNotDownloadedAndCountedSkippedAndItsCheckpointIsTheFilters()
    {
        // Given the service's exclusion in the configuration, as the task definition sets it for both commands
        var checkpoint = Path.Combine(_dir, "keys.json");
        var settings = new Dictionary<string, string?> { ["Sqs:ExcludeKeys:0"] = Excluded };
        string[] args = ["backfill", "--bucket", _source, "--rules", _rules, "--output-bucket", _output, "--mode", "mirror", "--checkpoint", checkpoint];

        // When it backfills the whole bucket
        using var cli = CliProcess.Start(aws, args, settings);
        var code = await cli.WaitAsync(Timeout);

        // Then it succeeds: the excluded object is counted as skipped by the key filter and was never read, the others are written
        Assert.True(code == 0, cli.Output + "\n" + cli.Errors);
        Assert.Contains($"skipped by the key filter (keys exclude [{Excluded}]): 1 objects (17 B), not downloaded", cli.Output, StringComparison.Ordinal);
        Assert.Contains("files 2 (failed 0, skipped 0), records 40", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("_bad.json.gz", cli.Output + cli.Errors, StringComparison.Ordinal);
        var outputs = await BucketReader.ReadAllAsync(_s3, _output);
        Assert.Equal(_records.Keys.Order(StringComparer.Ordinal), outputs.Keys.Order(StringComparer.Ordinal));
        Assert.All(_records, r => Assert.Equal(TrailData.Kept(r.Value), TrailData.RecordsOf(outputs[r.Key])));

        // When the same checkpoint is used without the filter, it is refused: its partitions lack what the filter skipped
        var (again, rerun) = await CliProcess.RunAsync(aws, Timeout, args);

        Assert.Equal(3, again);
        Assert.Contains($"checkpoint {checkpoint} belongs to another backfill", rerun.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_InvalidKeyEntryInTheConfiguration_Exits2WithTheStartupLineBeforeListing()
    {
        using var cli = CliProcess.Start(
            aws, ["backfill", "--bucket", _source, "--dry-run"], new Dictionary<string, string?> { ["Sqs:IncludeKeys:0"] = "AWSLogs/", ["Sqs:IncludeKeys:1"] = "re:(" });

        var code = await cli.WaitAsync(Timeout);

        Assert.Equal(2, code);
        Assert.StartsWith("trailsieve: configuration error: Sqs:IncludeKeys:1: 're:(' is not a usable regular expression", Assert.Single(cli.Stderr), StringComparison.Ordinal);
        Assert.DoesNotContain(" at TrailSieve.", cli.Output + cli.Errors, StringComparison.Ordinal);
    }

    private Task<PutObjectResponse> PutAsync(string key, byte[] body) =>
        _s3.PutObjectAsync(new PutObjectRequest { BucketName = _source, Key = key, InputStream = new MemoryStream(body) });
}
