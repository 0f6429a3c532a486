using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Hosting;

namespace TrailSieve.Worker.Tests.Diagnostics;

public sealed class OtlpExportTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentBag<(string Path, string? ContentType, byte[] Body)> _requests = [];
    private readonly int _port = FreePort();
    private readonly Task _serving;

    public OtlpExportTests()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

    [Fact]
    public async Task Export_MetricsAndTraces_ReceivedByAnOtlpHttpListener()
    {
        // Given the service's telemetry registration pointed at a listener in this process
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Telemetry.EndpointVariable] = $"http://127.0.0.1:{_port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }).Build();
        Assert.True(Telemetry.IsEnabled(configuration, _ => null));
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMetrics();
        services.AddSingleton<TrailSieveMetrics>();
        Telemetry.Add(services, new Dictionary<string, object> { ["aws.ecs.task.family"] = "trailsieve-test" });
        await using var provider = services.BuildServiceProvider();
        var meterProvider = provider.GetRequiredService<MeterProvider>();
        var tracerProvider = provider.GetRequiredService<TracerProvider>();

        // When a file's outcome is recorded inside a message span, and both providers flush
        var metrics = provider.GetRequiredService<TrailSieveMetrics>();
        using (var span = TrailSieveActivity.Source.StartActivity("sqs.message process", ActivityKind.Consumer))
        {
            Assert.NotNull(span);
            metrics.ObjectCompleted("succeeded", 100, 60, 40, 1000, 9000, TimeSpan.FromMilliseconds(12), null);
        }

        Assert.True(meterProvider.ForceFlush(10_000));
        Assert.True(tracerProvider.ForceFlush(10_000));

        // Then OTLP/HTTP protobuf requests arrived for both signals, carrying the instrument, span and resource
        await WaitForAsync(() => _requests.Any(r => r.Path == "/v1/metrics") && _requests.Any(r => r.Path == "/v1/traces"));
        var metricsBody = Encoding.UTF8.GetString(_requests.First(r => r.Path == "/v1/metrics").Body);
        var tracesBody = Encoding.UTF8.GetString(_requests.First(r => r.Path == "/v1/traces").Body);
        Assert.All(_requests, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.Contains("trailsieve.records.processed", metricsBody, StringComparison.Ordinal);
        Assert.Contains("trailsieve-test", metricsBody, StringComparison.Ordinal);
        Assert.Contains("sqs.message process", tracesBody, StringComparison.Ordinal);
        Assert.Contains("trailsieve", tracesBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EcsTaskMetadata_ResourceAttributes()
    {
        const string task = """{"Cluster":"arn:aws:ecs:eu-west-1:111122223333:cluster/prod","TaskARN":"arn:aws:ecs:eu-west-1:111122223333:task/prod/abc","Family":"trailsieve","Revision":"7","AvailabilityZone":"eu-west-1a","LaunchType":"FARGATE"}""";

        var attributes = EcsTaskMetadata.Parse(task, []);

        Assert.Equal("arn:aws:ecs:eu-west-1:111122223333:cluster/prod", attributes["aws.ecs.cluster.arn"]);
        Assert.Equal("arn:aws:ecs:eu-west-1:111122223333:task/prod/abc", attributes["aws.ecs.task.arn"]);
        Assert.Equal("trailsieve", attributes["aws.ecs.task.family"]);
        Assert.Equal("FARGATE", attributes["aws.ecs.launchtype"]);
    }

    [Fact]
    public async Task ReadAsync_NotOnEcs_OnlyTheCloudProvider()
    {
        var attributes = await EcsTaskMetadata.ReadAsync(_ => null, CancellationToken.None);

        Assert.Equal(["cloud.provider"], attributes.Keys);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _requests.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the OTLP requests did not arrive");
    }
}
