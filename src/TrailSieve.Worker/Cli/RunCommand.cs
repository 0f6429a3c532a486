using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve run</c>: the always-on service (SQS in, S3 out).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var queueUrl = new Option<string?>("--queue-url") { Description = "SQS queue the S3 notifications arrive on (Sqs:QueueUrl)." };
        var outputBucket = new Option<string?>("--output-bucket") { Description = "Output bucket (Output:Bucket, CLOUDTRAIL_OUTPUT_BUCKET_NAME)." };
        var outputPrefix = new Option<string?>("--output-prefix") { Description = "Prefix of every output key (Output:Prefix)." };
        var mode = new Option<OutputMode?>("--mode") { Description = "batch (default) or mirror (Output:Mode)." };
        var format = CommonOptions.OutputFormat();
        var layout = new Option<OutputLayout?>("--layout") { Description = "Batch key layout: cloudtrail (default) or hive (sets Output:KeyTemplate; hive is what athena-ddl projects)." };
        var rules = new Option<string?>("--rules") { Description = "Rules file (Rules:File, CONFIG_FILE); or configure CONFIG_SOURCE=s3|ssm." };
        var untilIdle = new Option<string?>("--until-idle") { Description = "Exit 0 once the queue has been empty this long and everything is flushed and acknowledged (e.g. 30s, 5m)." };
        var parallelism = new Option<int?>("--parallelism") { Description = "Filter workers (Pipeline:FilterParallelism)." };
        var detections = CommonOptions.Detections();
        var alertsPrefix = new Option<string?>("--alerts-prefix") { Description = "Key prefix of the findings in the output bucket, partitioned by day (Detections:AlertsPrefix; default alerts/)." };
        var command = new Command("run", """
            Run the service: long-poll SQS for S3 notifications, filter each CloudTrail object, write batched (or mirrored)
            gzip output to S3, and delete a message only once its output is durable. Stops on SIGTERM after draining.
            Every option can also come from appsettings.json or the environment (Sqs__QueueUrl, Output__Bucket, ...).
            Exit code 0 after a clean stop, 2 for a configuration or rules error, 3 when the queue cannot be used.

            Examples:
              trailsieve run --queue-url https://sqs.eu-west-1.amazonaws.com/111122223333/cloudtrail --output-bucket filtered-trail --rules rules/default.yaml
              trailsieve run --queue-url … --output-bucket filtered-trail --rules rules/default.yaml --detections rules/detections/threats.yaml --detections rules/detections/high-risk.yaml
              AWS_ENDPOINT_URL=http://localhost:4566 trailsieve run --queue-url http://localhost:4566/000000000000/trailsieve-queue --output-bucket trailsieve-output --rules rules/default.yaml --until-idle 30s
            """)
        {
            queueUrl, outputBucket, outputPrefix, mode, format, layout, rules, untilIdle, parallelism, detections, alertsPrefix,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Put(overrides, "Sqs:QueueUrl", parse.GetValue(queueUrl));
            Put(overrides, "Output:Bucket", parse.GetValue(outputBucket));
            Put(overrides, "Output:Prefix", parse.GetValue(outputPrefix));
            Put(overrides, "Output:Mode", parse.GetValue(mode)?.ToString());
            Put(overrides, "Output:Format", parse.GetValue(format)?.ToString());
            Put(overrides, "Output:KeyTemplate", parse.GetValue(layout) is { } named ? OutputLayouts.KeyTemplate(named) : null);
            Put(overrides, "Pipeline:FilterParallelism", parse.GetValue(parallelism)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (parse.GetValue(rules) is { } file)
            {
                overrides["Rules:Source"] = nameof(RulesSource.Local);
                overrides["Rules:File"] = Path.GetFullPath(file);
            }

            if (parse.GetValue(detections) is { Length: > 0 } detectionFiles)
            {
                overrides["Detections:Source"] = nameof(RulesSource.Local);
                overrides["Detections:File"] = string.Join(',', detectionFiles.Select(Path.GetFullPath));
            }

            Put(overrides, "Detections:AlertsPrefix", parse.GetValue(alertsPrefix));
            if (parse.GetValue(untilIdle) is { } idle)
            {
                if (!DurationParser.TryParse(idle, out var duration) || duration <= TimeSpan.Zero)
                {
                    error.WriteLine($"--until-idle: '{idle}' is not a duration (e.g. 30s, 5m, 00:01:00)");
                    return ExitCodes.UsageOrRules;
                }

                overrides["Sqs:UntilIdle"] = duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            }

            var resource = await EcsTaskMetadata.ReadAsync(Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
            using var host = ServiceHost.Build(overrides, resourceAttributes: resource);

            // Every problem at once, before the host makes a client or binds an option (either would throw at the first).
            var problems = StartupCheck.Service(host.Services.GetRequiredService<IConfiguration>(), Environment.GetEnvironmentVariable);
            if (problems.Count > 0)
            {
                return Refuse(host, error, problems);
            }

            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StartupCheck.ProblemsOf(ex) is { } failures)
            {
                return Refuse(host, error, failures);
            }

            await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            var exit = host.Services.GetRequiredService<ServiceExit>();
            ConfigurationErrors.Write(error, exit.Problems);
            return exit.Code;
        });
        return command;
    }

    /// <summary>
    /// Each problem as a line on stderr and as a Critical log line (event 411): in a container the log is what the
    /// task errors alarm counts, and a task that stops here on every start never gets as far as publishing a metric.
    /// </summary>
    private static int Refuse(IHost host, TextWriter error, IReadOnlyList<ConfigurationProblem> problems)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServiceHost).FullName!);
        foreach (var problem in problems)
        {
            Hosting.Log.InvalidConfiguration(logger, problem.ToString());
        }

        return ConfigurationErrors.Write(error, problems);
    }

    private static void Put(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            overrides[key] = value;
        }
    }
}
