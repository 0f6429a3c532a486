using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Diagnostics.Emf;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;
using TrailSieve.Worker.Rules;
using TrailSieve.Worker.S3;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Ssm;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// Builds the generic host of <c>trailsieve run</c>. Configuration, lowest to highest precedence: appsettings.json,
/// environment variables (<c>Sqs__QueueUrl</c> style), the Go Lambdas' environment names, the command line.
/// </summary>
internal static class ServiceHost
{
    public static IHost Build(
        IReadOnlyDictionary<string, string?> commandLine,
        Func<string, string?>? environment = null,
        Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, object>? resourceAttributes = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var builder = CreateBuilder(commandLine, environment);
        var services = builder.Services;
        services.AddOptions<SqsOptions>().BindConfiguration(SqsOptions.SectionName).ValidateOnStart();
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName).ValidateOnStart();
        services.AddOptions<OutputOptions>().BindConfiguration(OutputOptions.SectionName).ValidateOnStart();
        services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.SectionName).ValidateOnStart();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateOnStart();
        services.AddOptions<DetectionsOptions>().BindConfiguration(DetectionsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DetectionsOptions>, DetectionsOptionsValidator>();
        services.AddSingleton<IValidateOptions<SqsOptions>, SqsOptionsValidator>();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.AddSingleton<IValidateOptions<OutputOptions>, OutputOptionsValidator>();
        services.AddSingleton<IValidateOptions<RulesOptions>, RulesOptionsValidator>();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddSingleton<ServiceOptionsRelations>();
        services.AddSingleton<IValidateOptions<SqsOptions>>(sp => sp.GetRequiredService<ServiceOptionsRelations>());
        services.AddSingleton<IValidateOptions<OutputOptions>>(sp => sp.GetRequiredService<ServiceOptionsRelations>());
        services.AddSingleton<IValidateOptions<RulesOptions>>(sp => sp.GetRequiredService<ServiceOptionsRelations>());
        services.AddSingleton<IValidateOptions<DetectionsOptions>>(sp => sp.GetRequiredService<ServiceOptionsRelations>());
        services.Configure<HostOptions>(o =>
        {
            // The host must wait for the drain; ECS's stopTimeout (set above DrainTimeout) is the outer bound.
            // Parsed leniently: a value that is not a duration is reported by StartupCheck, not thrown from here.
            var drain = TimeSpan.TryParse(builder.Configuration["Sqs:DrainTimeout"], System.Globalization.CultureInfo.InvariantCulture, out var configured)
                ? configured
                : new SqsOptions().DrainTimeout;
            o.ShutdownTimeout = drain + TimeSpan.FromSeconds(5);
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new AwsClientFactory(environment));
        services.AddSingleton(sp => sp.GetRequiredService<AwsClientFactory>().CreateS3());
        services.AddSingleton(sp => sp.GetRequiredService<AwsClientFactory>().CreateSqs());
        services.AddSingleton(sp => AwsResilience.Create(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IQueueClient>(sp => new SqsQueueClient(
            sp.GetRequiredService<IAmazonSQS>(), sp.GetRequiredService<IOptions<SqsOptions>>().Value.QueueUrl, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new S3ObjectSource(
            sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<ResiliencePipeline>(), sp.GetRequiredService<TrailSieveMetrics>(), sp.GetRequiredService<TimeProvider>(),
            SourceGuard.From(sp.GetRequiredService<IOptions<SqsOptions>>().Value)));
        services.AddSingleton<IObjectSink>(sp => new S3ObjectSink(
            sp.GetRequiredService<IAmazonS3>(),
            sp.GetRequiredService<IOptions<OutputOptions>>().Value,
            sp.GetRequiredService<ResiliencePipeline>(),
            sp.GetRequiredService<TrailSieveMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SqsOptions>>().Value.ExpectedBucketOwner));
        services.AddSingleton(sp => sp.GetRequiredService<AwsClientFactory>().CreateSsm());
        services.AddSingleton<IConfigTextReader>(sp => new ConfigTextReader(
            new S3TextReader(sp.GetRequiredService<IAmazonS3>, sp.GetRequiredService<ResiliencePipeline>()),
            new SsmParameterReader(sp.GetRequiredService<IAmazonSimpleSystemsManagement>, sp.GetRequiredService<ResiliencePipeline>())));
        services.AddSingleton(sp => new RulesTextSource(sp.GetRequiredService<IOptions<RulesOptions>>().Value, sp.GetRequiredService<IConfigTextReader>()));
        services.AddSingleton(sp => new DetectionsSource(sp.GetRequiredService<IOptions<DetectionsOptions>>().Value, sp.GetRequiredService<IConfigTextReader>()));
        services.AddSingleton<ReloadingRuleSetProvider>();
        services.AddSingleton(sp => new PipelineCounters(sp.GetRequiredService<TrailSieveMetrics>()));
        services.AddSingleton(sp => new ServiceCounters(sp.GetRequiredService<TrailSieveMetrics>()));
        services.AddSingleton<ServiceExit>();
        services.AddSingleton<LivenessSignal>();
        services.AddHostedService<LivenessHeartbeat>();

        // Hosted services stop in reverse order: the EMF publisher stops after the queue worker's drain, so its last
        // flush carries the drain's numbers.
        AddMetrics(services, builder.Configuration, environment, resourceAttributes ?? new Dictionary<string, object>());
        services.AddSingleton<ServiceSettings>();
        services.AddSingleton<ServiceTopology>();
        services.AddHostedService<QueueWorker>();

        configure?.Invoke(services);
        return builder.Build();
    }

    /// <summary>
    /// The builder every TrailSieve host starts from: configuration (appsettings.json, the environment, the Go
    /// Lambdas' names, then <paramref name="commandLine"/>) and console logging, JSON when asked for.
    /// </summary>
    internal static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> commandLine, Func<string, string?> environment)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        builder.Configuration.AddInMemoryCollection(LegacyEnvironment.Map(environment));
        builder.Configuration.AddInMemoryCollection(commandLine);

        builder.Logging.ClearProviders();
        if (UseJsonLogs(builder.Configuration, environment))
        {
            // One JSON object per line (CloudWatch Logs Insights parses the fields), as in the container image.
            builder.Logging.AddJsonConsole(o =>
            {
                // Log text is not HTML: keep quotes and '+' readable instead of \u0022 escapes.
                o.JsonWriterOptions = new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        return builder;
    }

    /// <summary>
    /// The TrailSieve meter and its exports: CloudWatch EMF on stdout (<c>Metrics</c> section, <c>METRICS_ENABLED</c>),
    /// and OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Register it before the hosted services whose metrics
    /// it reports, so the EMF publisher's final flush (on stop) comes after theirs.
    /// </summary>
    internal static void AddMetrics(IServiceCollection services, IConfiguration configuration, Func<string, string?> environment, IReadOnlyDictionary<string, object> resourceAttributes)
    {
        services.AddMetrics();
        services.AddSingleton<TrailSieveMetrics>();
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddHostedService<EmfPublisher>();
        if (Telemetry.IsEnabled(configuration, environment))
        {
            Telemetry.Add(services, resourceAttributes);
        }
    }

    /// <summary>JSON console logs when configuration <c>Logging:Format</c> or <c>TRAILSIEVE_LOG_FORMAT</c> is <c>json</c>.</summary>
    internal static bool UseJsonLogs(IConfiguration configuration, Func<string, string?> environment) =>
        string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase)
        || string.Equals(environment("TRAILSIEVE_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase);
}
