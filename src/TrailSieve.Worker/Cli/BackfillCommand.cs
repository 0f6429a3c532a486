using System.CommandLine;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// <c>trailsieve backfill</c>: history from a CloudTrail bucket, by date partitions, processed here or fanned out
/// through the service's queue; resumable from a checkpoint. <see cref="BackfillCommandLine"/> checks the command
/// line into a <see cref="BackfillRequest"/>, which <see cref="BackfillExecution"/> carries out.
/// </summary>
internal static class BackfillCommand
{
    public static Command Create()
    {
        var commandLine = new BackfillCommandLine();
        var command = commandLine.CreateCommand();
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            return commandLine.TryParse(parse, error) is { } request
                ? await new BackfillExecution(request, parse.InvocationConfiguration.Output, error).ExecuteAsync(cancellationToken).ConfigureAwait(false)
                : ExitCodes.UsageOrRules;
        });
        return command;
    }
}
