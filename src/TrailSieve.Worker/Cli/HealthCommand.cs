using System.CommandLine;
using System.Globalization;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve health</c>: the container's HEALTHCHECK, reading the heartbeat file <c>trailsieve run</c> touches.</summary>
internal static class HealthCommand
{
    /// <summary>The heartbeat is stale or missing.</summary>
    public const int Unhealthy = 1;

    public static Command Create(TimeProvider? timeProvider = null, Func<string, string?>? environment = null)
    {
        var file = new Option<string?>("--file") { Description = $"Heartbeat file (default: Health__HeartbeatFile, else {HealthOptions.DefaultHeartbeatFile})." };
        var maxAge = new Option<string?>("--max-age") { Description = "Oldest heartbeat still healthy, e.g. 60s (default: Health__MaxAge, else 60s)." };
        var command = new Command("health", """
            Check the liveness heartbeat of a running 'trailsieve run': exit 0 when the heartbeat file was touched within
            the maximum age, 1 when it is stale or missing, 2 for a usage error. The service touches the file only while
            its loops make progress, so a hung worker turns unhealthy. Meant for Docker/ECS HEALTHCHECK.

            Examples:
              trailsieve health
              trailsieve health --file /tmp/trailsieve.heartbeat --max-age 2m
            """)
        {
            file, maxAge,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var env = environment ?? Environment.GetEnvironmentVariable;
            var path = parse.GetValue(file) ?? NonEmpty(env("Health__HeartbeatFile")) ?? HealthOptions.DefaultHeartbeatFile;
            var maxAgeText = parse.GetValue(maxAge) ?? NonEmpty(env("Health__MaxAge"));
            var limit = new HealthOptions().MaxAge;
            if (maxAgeText is not null && (!DurationParser.TryParse(maxAgeText, out limit) || limit <= TimeSpan.Zero))
            {
                if (parse.GetValue(maxAge) is null)
                {
                    // From the environment: a configuration problem, in the style every command reports those.
                    return ConfigurationErrors.Write(error, [new ConfigurationProblem("Health:MaxAge", $"'{maxAgeText}' is not a positive duration", "60s, 2m, 00:01:00")]);
                }

                error.WriteLine($"--max-age: '{maxAgeText}' is not a positive duration (e.g. 60s, 2m, 00:01:00)");
                return ExitCodes.UsageOrRules;
            }

            var status = HeartbeatFile.Check(path, limit, timeProvider ?? TimeProvider.System);
            switch (status.State)
            {
                case HeartbeatState.Fresh:
                    output.WriteLine($"healthy: heartbeat {Seconds(status.Age)} old");
                    return ExitCodes.Success;
                case HeartbeatState.Stale:
                    error.WriteLine($"unhealthy: heartbeat {Seconds(status.Age)} old, more than {Seconds(limit)} ({path})");
                    return Unhealthy;
                default:
                    error.WriteLine($"unhealthy: no heartbeat in {path} (missing or unreadable; is 'trailsieve run' running?)");
                    return Unhealthy;
            }
        });
        return command;
    }

    private static string Seconds(TimeSpan age) => ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
