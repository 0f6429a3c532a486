using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using DotNet.Testcontainers.Configurations;
using Testcontainers.LocalStack;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>
/// A real S3+SQS API for the integration tests, one per test run. In order of preference:
/// <list type="number">
/// <item><c>TRAILSIEVE_TEST_AWS_ENDPOINT</c> when set (an emulator you started yourself);</item>
/// <item>LocalStack (<see cref="LocalStackImage"/>) through Testcontainers when a Docker engine answers;</item>
/// <item>the fauxqs emulator as a node child process (installed with <c>npm ci</c> from the committed lock if needed).</item>
/// </list>
/// If none starts, initialisation throws and every test of the collection fails with the reasons: nothing is skipped.
/// <c>TRAILSIEVE_TEST_EMULATOR=fauxqs</c> skips the Docker probe and goes straight to fauxqs.
/// </summary>
public sealed class AwsEndpointFixture : IAsyncLifetime
{
    public const string EndpointVariable = "TRAILSIEVE_TEST_AWS_ENDPOINT";
    public const string EmulatorVariable = "TRAILSIEVE_TEST_EMULATOR";
    public const string LocalStackImage = "localstack/localstack:4.14";
    public const string AccessKey = "test";
    public const string SecretKey = "test";
    private static readonly TimeSpan DockerProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly IMessageSink _diagnostics;
    private readonly ConcurrentDictionary<string, byte> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _queues = new(StringComparer.Ordinal);
    private LocalStackContainer? _localStack;
    private FauxqsProcess? _fauxqs;

    public AwsEndpointFixture(IMessageSink diagnostics) => _diagnostics = diagnostics;

    /// <summary>Base URL of the S3 and SQS endpoint (one port for both).</summary>
    public string ServiceUrl { get; private set; } = "";

    public string Region { get; } = "us-east-1";

    /// <summary>"env", "localstack" or "fauxqs".</summary>
    public string Source { get; private set; } = "";

    public bool IsFauxqs => Source == "fauxqs";

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var fromEnvironment = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            Use(fromEnvironment, "env", stopwatch);
            return;
        }

        var reasons = new List<string>();
        if (string.Equals(Environment.GetEnvironmentVariable(EmulatorVariable), "fauxqs", StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add($"LocalStack not tried ({EmulatorVariable}=fauxqs)");
        }
        else
        {
            var docker = await ProbeDockerAsync();
            if (docker.Answers)
            {
                try
                {
                    _localStack = new LocalStackBuilder(LocalStackImage).Build();
                    await _localStack.StartAsync();
                    Use(_localStack.GetConnectionString(), "localstack", stopwatch);
                    return;
                }
                catch (Exception e)
                {
                    reasons.Add($"LocalStack {LocalStackImage} did not start on Docker at {docker.Detail}: {e.Message}");
                    await StopLocalStackAsync();
                }
            }
            else
            {
                reasons.Add("LocalStack not tried: " + docker.Detail);
            }
        }

        try
        {
            var directory = FauxqsProcess.FindEmulatorDirectory();
            if (!FauxqsProcess.IsInstalled(directory))
            {
                await FauxqsProcess.InstallAsync(directory, Log);
            }

            _fauxqs = await FauxqsProcess.StartAsync(directory, Region);
            Log(string.Join("; ", reasons));
            Use(_fauxqs.Url, "fauxqs", stopwatch);
        }
        catch (Exception e)
        {
            reasons.Add("fauxqs: " + e.Message);
            throw new InvalidOperationException(
                "No S3+SQS endpoint for the integration tests." + Environment.NewLine + string.Join(Environment.NewLine, reasons), e);
        }
    }

    public async Task DisposeAsync()
    {
        // Safety net: tests delete what they create; whatever a failed test left is removed here.
        foreach (var bucket in _buckets.Keys)
        {
            await BestEffortAsync(() => DeleteBucketAsync(bucket));
        }

        foreach (var queue in _queues.Keys)
        {
            await BestEffortAsync(() => DeleteQueueAsync(queue));
        }

        if (_fauxqs is not null)
        {
            await _fauxqs.DisposeAsync();
            _fauxqs = null;
        }

        await StopLocalStackAsync();
    }

    public IAmazonS3 CreateS3Client() => new AmazonS3Client(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = Region });

    public IAmazonSQS CreateSqsClient() => new AmazonSQSClient(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonSQSConfig { ServiceURL = ServiceUrl, AuthenticationRegion = Region });

    /// <summary>What a TrailSieve child process needs in its environment to talk to this endpoint.</summary>
    public Dictionary<string, string> WorkerEnvironment() => new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL"] = ServiceUrl,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = Region,
    };

    /// <summary>Creates a uniquely named bucket; delete it with <see cref="DeleteBucketAsync"/>.</summary>
    public async Task<string> CreateBucketAsync(string prefix)
    {
        var name = UniqueName(prefix, 63);
        using var s3 = CreateS3Client();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        _buckets.TryAdd(name, 0);
        return name;
    }

    /// <summary>Deletes every object of the bucket, then the bucket.</summary>
    public async Task DeleteBucketAsync(string bucket)
    {
        using var s3 = CreateS3Client();
        while (true)
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
            if (page.S3Objects is not { Count: > 0 } objects)
            {
                break;
            }

            await s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = bucket,
                Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })],
            });
        }

        await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket });
        _buckets.TryRemove(bucket, out _);
    }

    /// <summary>Creates a uniquely named standard queue; delete it with <see cref="DeleteQueueAsync"/>.</summary>
    public async Task<string> CreateQueueAsync(string prefix, TimeSpan? visibilityTimeout = null, string? redrivePolicy = null)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (visibilityTimeout is { } timeout)
        {
            attributes["VisibilityTimeout"] = ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (redrivePolicy is not null)
        {
            attributes["RedrivePolicy"] = redrivePolicy;
        }

        using var sqs = CreateSqsClient();
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = UniqueName(prefix, 80), Attributes = attributes })).QueueUrl;
        _queues.TryAdd(url, 0);
        return url;
    }

    /// <summary>A queue whose RedrivePolicy moves a message to its own new DLQ after <paramref name="maxReceiveCount"/> receives.</summary>
    public async Task<(string QueueUrl, string DlqUrl)> CreateQueueWithDlqAsync(string prefix, int maxReceiveCount, TimeSpan visibilityTimeout)
    {
        var dlqUrl = await CreateQueueAsync(prefix + "-dlq");
        var dlqArn = await GetQueueArnAsync(dlqUrl);
        var redrivePolicy = JsonSerializer.Serialize(new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["deadLetterTargetArn"] = dlqArn,
            ["maxReceiveCount"] = maxReceiveCount,
        });
        var queueUrl = await CreateQueueAsync(prefix, visibilityTimeout, redrivePolicy);
        return (queueUrl, dlqUrl);
    }

    public async Task<string> GetQueueArnAsync(string queueUrl)
    {
        using var sqs = CreateSqsClient();
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = ["QueueArn"] });
        return attributes.QueueARN;
    }

    public async Task DeleteQueueAsync(string queueUrl)
    {
        using var sqs = CreateSqsClient();
        await sqs.DeleteQueueAsync(new DeleteQueueRequest { QueueUrl = queueUrl });
        _queues.TryRemove(queueUrl, out _);
    }

    /// <summary>ts-{prefix}-{12 random hex}: valid as a bucket name (lowercase, 3..63) and a queue name.</summary>
    private static string UniqueName(string prefix, int maxLength)
    {
        var cleaned = new string([.. prefix.Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : char.IsAsciiLetterUpper(c) ? (char)(c + 32) : '-')]).Trim('-');
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var head = "ts-" + cleaned;
        if (head.Length > maxLength - suffix.Length - 1)
        {
            head = head[..(maxLength - suffix.Length - 1)].TrimEnd('-');
        }

        return head + "-" + suffix;
    }

    /// <summary>Does a Docker engine answer? Testcontainers' own endpoint discovery, bounded so a missing engine never hangs.</summary>
    private static async Task<(bool Answers, string Detail)> ProbeDockerAsync()
    {
        try
        {
            var config = await Task.Run(() => TestcontainersSettings.OS.DockerEndpointAuthConfig).WaitAsync(DockerProbeTimeout);
            return config is null ? (false, "no Docker engine answers") : (true, config.Endpoint.ToString());
        }
        catch (TimeoutException)
        {
            return (false, $"Docker probe timed out after {DockerProbeTimeout.TotalSeconds} s");
        }
        catch (Exception e)
        {
            return (false, "no Docker engine: " + e.Message);
        }
    }

    private static async Task BestEffortAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (AmazonServiceException)
        {
        }
        catch (HttpRequestException)
        {
        }
    }

    private async Task StopLocalStackAsync()
    {
        if (_localStack is not null)
        {
            await _localStack.DisposeAsync();
            _localStack = null;
        }
    }

    private void Use(string serviceUrl, string source, Stopwatch stopwatch)
    {
        ServiceUrl = serviceUrl.TrimEnd('/');
        Source = source;
        Log($"integration endpoint: {Source} at {ServiceUrl} (ready in {stopwatch.Elapsed.TotalSeconds:0.0} s)");
    }

    private void Log(string message)
    {
        if (message.Length > 0)
        {
            _diagnostics.OnMessage(new DiagnosticMessage(message));
        }
    }
}
