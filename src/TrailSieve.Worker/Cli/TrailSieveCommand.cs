using System.CommandLine;

namespace TrailSieve.Worker.Cli;

/// <summary>The <c>trailsieve</c> command line.</summary>
internal static class TrailSieveCommand
{
    public static RootCommand Create() => new("TrailSieve: filters AWS CloudTrail logs by YAML rules before they reach a SIEM or data lake.")
    {
        RunCommand.Create(),
        BackfillCommand.Create(),
        FilterCommand.Create(),
        DryRunCommand.Create(),
        ValidateCommand.Create(),
        HealthCommand.Create(),
        AthenaDdlCommand.Create(),
        QueryCommand.Create(),
        CompactCommand.Create(),
        AskCommand.Create(),
        ReportCommand.Create(),
    };

    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // `run` drains on SIGTERM through the generic host; the parser must not race it with its own handler.
            ProcessTerminationTimeout = null,
        };
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                configuration.Error.WriteLine(parseError.Message);
            }

            configuration.Error.WriteLine("Run 'trailsieve --help' or 'trailsieve COMMAND --help' for usage.");
            return ExitCodes.UsageOrRules;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
