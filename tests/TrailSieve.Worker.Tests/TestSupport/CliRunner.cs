using TrailSieve.Worker.Cli;

namespace TrailSieve.Worker.Tests.TestSupport;

/// <summary>Runs the <c>trailsieve</c> command line in process, capturing stdout and stderr.</summary>
public static class CliRunner
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await TrailSieveCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
