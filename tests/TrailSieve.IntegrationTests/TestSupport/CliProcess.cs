using System.Collections.Concurrent;
using System.Diagnostics;

namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>A <c>trailsieve</c> child process against the fixture's endpoint, its output kept line by line.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;

    private CliProcess(Process process) => _process = process;

    /// <summary>The child itself, for signals and a hard kill.</summary>
    public Process Process => _process;

    public ConcurrentQueue<string> Stdout { get; } = new();

    public ConcurrentQueue<string> Stderr { get; } = new();

    public string Output => string.Join('\n', Stdout);

    public string Errors => string.Join('\n', Stderr);

    /// <summary>The keys of <paramref name="bucket"/> the process logged as filtered (event 100, "Filtered s3://bucket/key: ..."), in order.</summary>
    public List<string> FilteredKeys(string bucket)
    {
        var marker = $"Filtered s3://{bucket}/";
        return [.. Stdout.Concat(Stderr)
            .Select(line => line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0 ? line[(at + marker.Length)..] : null)
            .Where(rest => rest is not null)
            .Select(rest => rest![..rest!.IndexOf(':', StringComparison.Ordinal)])];
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test when it has not by <paramref name="timeout"/> or a process ended first.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, params CliProcess[] processes)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(
                stopwatch.Elapsed < timeout && processes.All(p => !p.Process.HasExited),
                "not seen in time: " + string.Join("\n---\n", processes.Select(p => $"stdout:\n{p.Output}\nstderr:\n{p.Errors}")));
            await Task.Delay(20);
        }
    }

    /// <summary>Starts <c>trailsieve ARGS</c>; <paramref name="settings"/> become environment variables (':' as '__').</summary>
    public static CliProcess Start(AwsEndpointFixture aws, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trailsieve.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in aws.WorkerEnvironment())
        {
            info.Environment[name] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is not null)
            {
                info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start trailsieve");
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                cli.Stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                cli.Stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs <c>trailsieve ARGS</c> to its end; fails the test when it outlives <paramref name="timeout"/>.</summary>
    public static async Task<(int Code, CliProcess Process)> RunAsync(AwsEndpointFixture aws, TimeSpan timeout, params string[] args)
    {
        var cli = Start(aws, args);
        return (await cli.WaitAsync(timeout), cli);
    }

    /// <summary>Waits for the exit code (and for the output to be read to its end).</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"trailsieve did not end within {timeout}; stdout:\n{Output}\nstderr:\n{Errors}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
