using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;

namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>
/// What one service test runs the worker against, on the emulator or LocalStack: a source and an output bucket, a
/// queue with its dead-letter queue, S3 and SQS clients, and the test rules file. Each test class creates its own
/// (names carry a prefix and a random suffix), so classes never see each other's objects or messages;
/// <see cref="DisposeAsync"/> removes all of it.
/// </summary>
public sealed class ServiceResources : IAsyncDisposable
{
    private readonly AwsEndpointFixture _aws;

    private ServiceResources(AwsEndpointFixture aws)
    {
        _aws = aws;
        S3 = aws.CreateS3Client();
        Sqs = aws.CreateSqsClient();
    }

    public IAmazonS3 S3 { get; }

    public IAmazonSQS Sqs { get; }

    /// <summary>The path of the rules file the worker loads (<see cref="TrailData.WriteRules"/>).</summary>
    public string Rules { get; } = TrailData.WriteRules();

    public string Source { get; private set; } = "";

    public string Output { get; private set; } = "";

    /// <summary>The queue's URL.</summary>
    public string Queue { get; private set; } = "";

    /// <summary>The dead-letter queue's URL (messages move there after <c>maxReceiveCount</c> receives).</summary>
    public string Dlq { get; private set; } = "";

    /// <summary>Creates the buckets <c>PREFIX-src</c> and <c>PREFIX-out</c> and the queue <c>PREFIX</c> with its DLQ.</summary>
    public static async Task<ServiceResources> CreateAsync(AwsEndpointFixture aws, string prefix, int maxReceiveCount, TimeSpan visibilityTimeout)
    {
        ArgumentNullException.ThrowIfNull(aws);
        var resources = new ServiceResources(aws);
        try
        {
            resources.Source = await aws.CreateBucketAsync(prefix + "-src");
            resources.Output = await aws.CreateBucketAsync(prefix + "-out");
            (resources.Queue, resources.Dlq) = await aws.CreateQueueWithDlqAsync(prefix, maxReceiveCount, visibilityTimeout);
            return resources;
        }
        catch
        {
            await resources.DisposeAsync();
            throw;
        }
    }

    /// <summary>The keys in the output bucket, the delivery ledger's markers left out.</summary>
    public async Task<List<string>> ListOutputAsync() =>
        [.. (await OutputKeysAsync()).Where(k => !k.StartsWith(BucketReader.LedgerFolder, StringComparison.Ordinal))];

    /// <summary>The delivery ledger's markers of source objects in the output bucket (not its probe of conditional writes).</summary>
    public async Task<List<string>> LedgerMarkersAsync() =>
        [.. (await OutputKeysAsync()).Where(k => k.StartsWith(BucketReader.LedgerFolder, StringComparison.Ordinal) && k != BucketReader.LedgerFolder + "_probe")];

    private async Task<List<string>> OutputKeysAsync()
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Output, ContinuationToken = token });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // What CreateAsync got to before a failure: a bucket or queue that was never created has no name.
        foreach (var bucket in new[] { Source, Output }.Where(b => b.Length > 0))
        {
            await _aws.DeleteBucketAsync(bucket);
        }

        foreach (var queue in new[] { Queue, Dlq }.Where(q => q.Length > 0))
        {
            await _aws.DeleteQueueAsync(queue);
        }

        File.Delete(Rules);
        S3.Dispose();
        Sqs.Dispose();
    }
}
