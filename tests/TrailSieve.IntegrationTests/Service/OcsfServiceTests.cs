using System.Globalization;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary><c>trailsieve run</c> with <c>Output:Format=ocsf</c> against a real S3+SQS API: Security Lake's layout in the bucket, every kept record a row, the queue emptied only after.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class OcsfServiceTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ocsf-svc-").FullName;
    private ServiceResources _env = null!;

    public async Task InitializeAsync()
    {
        _env = await ServiceResources.CreateAsync(aws, "ocsf", maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Run_OcsfFormat_SecurityLakeObjectsPerAccountHoldTheKeptRecords()
    {
        // Given two objects whose records belong to two accounts
        var kept = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var records = Enumerable.Range(i * 100, 100).Select(id => TrailData.Record(id, account: id % 2 == 0 ? "111122223333" : "444455556666")).ToList();
            foreach (var record in TrailData.Kept(records))
            {
                var account = record.Contains("111122223333", StringComparison.Ordinal) ? "111122223333" : "444455556666";
                kept[account] = kept.GetValueOrDefault(account) + 1;
            }

            var key = $"AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/ocsf-{i}.json.gz";
            await _env.S3.PutObjectAsync(new PutObjectRequest { BucketName = _env.Source, Key = key, InputStream = new MemoryStream(TrailData.File(records)) });
            await _env.Sqs.SendMessageAsync(_env.Queue, S3EventMessages.ObjectCreated(_env.Source, key, 1));
        }

        // When the service runs with OCSF output
        var settings = ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules);
        settings["Output:Format"] = "Ocsf";
        var code = await ServiceRunner.RunInProcessAsync(aws, settings, TimeSpan.FromSeconds(90));

        // Then one API Activity Parquet object per account, in Security Lake's layout, holds that account's kept records
        Assert.Equal(0, code);
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        var objects = outputs.Where(o => o.Key.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, objects.Count);
        foreach (var (account, count) in kept)
        {
            var (_, bytes) = Assert.Single(objects, o => o.Key.StartsWith($"ext/trailsieve-6003/region=us-east-1/accountId={account}/eventDay=20260102/", StringComparison.Ordinal));
            var file = Path.Combine(_scratch, account + ".parquet");
            await File.WriteAllBytesAsync(file, bytes);
            Assert.Equal(count.ToString(CultureInfo.InvariantCulture), ParquetFiles.Scalar(file, "SELECT count(*) FROM read_parquet({f}) WHERE class_uid = 6003 AND cloud.provider = 'AWS'"));
            Assert.Equal("ZSTD", ParquetFiles.Scalar(file, "SELECT DISTINCT compression FROM parquet_metadata({f})"));
        }

        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Dlq));
    }
}
