using System.Diagnostics;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Rules;
using TrailSieve.Worker.S3;
using TrailSieve.Worker.Ssm;

namespace TrailSieve.Worker.Tests.Rules;

/// <summary>
/// The first rules load from S3 or SSM, through the real adapters and SDK clients over a scripted HTTP exchange and the
/// shared retry pipeline on a fake clock: transient answers are retried, final ones fail at once naming the setting.
/// </summary>
public sealed class FirstLoadRetryTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(RulesSource.S3)]
    [InlineData(RulesSource.Ssm)]
    public async Task LoadAsync_ThrottledTwiceThenServed_RetriedAndLoaded(RulesSource kind)
    {
        // Given a source that throttles twice before it answers
        var handler = new ScriptedHandler(kind, Throttled(kind), Throttled(kind), Served(kind, ReloadingRuleSetProviderTests.Rules("from-aws")));
        var time = new FakeTimeProvider();
        var provider = Provider(kind, handler, time);

        // When the service loads its rules (the backoff waits on the fake clock)
        var loading = provider.LoadAsync(CancellationToken.None);
        var deadline = Stopwatch.StartNew();
        while (!loading.IsCompleted)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the retries did not happen");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        // Then the third attempt's rules are in force
        await loading;
        Assert.Equal(3, handler.Requests);
        Assert.Equal(["from-aws"], provider.Current.RuleNames);
    }

    [Theory]
    [InlineData(RulesSource.S3, HttpStatusCode.Forbidden, "AccessDenied", "Rules:S3Path", "access denied (AccessDenied)")]
    [InlineData(RulesSource.S3, HttpStatusCode.NotFound, "NoSuchKey", "Rules:S3Path", "NoSuchKey")]
    [InlineData(RulesSource.Ssm, HttpStatusCode.BadRequest, "ParameterNotFound", "Rules:SsmParameter", "ParameterNotFound")]
    [InlineData(RulesSource.Ssm, HttpStatusCode.BadRequest, "AccessDeniedException", "Rules:SsmParameter", "access denied (AccessDeniedException)")]
    public async Task LoadAsync_FinalError_FailsAtOnceNamingTheSettingAndReason(RulesSource kind, HttpStatusCode status, string code, string setting, string reason)
    {
        // Given a source that refuses for good
        var handler = new ScriptedHandler(kind, Error(kind, status, code));
        var provider = Provider(kind, handler, new FakeTimeProvider());

        // When the service loads its rules (nothing advances the clock: a retry would never finish)
        var ex = await Assert.ThrowsAsync<RulesLoadException>(() => provider.LoadAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        // Then it was asked once, and the one problem names the setting, the source and the reason
        Assert.Equal(1, handler.Requests);
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(setting, problem.Setting);
        Assert.Contains(" cannot be read: " + reason, problem.Problem, StringComparison.Ordinal);
        Assert.StartsWith(kind == RulesSource.S3 ? "s3://config-bucket/rules/trailsieve.yaml" : "ssm:/trailsieve/rules", problem.Problem, StringComparison.Ordinal);
    }

    private ReloadingRuleSetProvider Provider(RulesSource kind, HttpMessageHandler handler, TimeProvider time)
    {
        var resilience = AwsResilience.Create(time);
        var credentials = new BasicAWSCredentials("test", "test");
        var factory = new HandlerFactory(handler);
        var reader = new ConfigTextReader(
            new S3TextReader(
                () => new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = "http://s3.test", ForcePathStyle = true, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0, HttpClientFactory = factory }),
                resilience),
            new SsmParameterReader(
                () => new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = "http://ssm.test", AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0, HttpClientFactory = factory }),
                resilience));
        return new ReloadingRuleSetProvider(
            new RulesTextSource(ReloadingRuleSetProviderTests.Location(kind), reader),
            new DetectionsSource(new DetectionsOptions(), reader),
            new TrailSieveMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<ReloadingRuleSetProvider>.Instance);
    }

    private static Func<HttpResponseMessage> Throttled(RulesSource kind) =>
        kind == RulesSource.S3 ? Error(kind, HttpStatusCode.ServiceUnavailable, "SlowDown") : Error(kind, HttpStatusCode.BadRequest, "ThrottlingException");

    private static Func<HttpResponseMessage> Served(RulesSource kind, string text) => () => kind == RulesSource.S3
        ? Response(HttpStatusCode.OK, text, "text/yaml")
        : Response(HttpStatusCode.OK, System.Text.Json.JsonSerializer.Serialize(new { Parameter = new { Name = "/trailsieve/rules", Type = "String", Value = text, Version = 1 } }), "application/x-amz-json-1.1");

    private static Func<HttpResponseMessage> Error(RulesSource kind, HttpStatusCode status, string code) => () => kind == RulesSource.S3
        ? Response(status, $"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{code} message</Message><RequestId>1</RequestId></Error>""", "application/xml")
        : Response(status, $$"""{"__type":"{{code}}","message":"{{code}} message"}""", "application/x-amz-json-1.1", ("x-amzn-ErrorType", code));

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string contentType, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        response.Headers.TryAddWithoutValidation("x-amz-request-id", "1");
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "1");
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>Answers each request with the next scripted response, checking it goes to the right service.</summary>
    private sealed class ScriptedHandler(RulesSource kind, params Func<HttpResponseMessage>[] responses) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(kind == RulesSource.S3 ? "s3.test" : "ssm.test", request.RequestUri!.Host);
            var index = Interlocked.Increment(ref _requests) - 1;
            Assert.True(index < responses.Length, "more requests than scripted answers");
            return Task.FromResult(responses[index]());
        }
    }

    private sealed class HandlerFactory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }
}
