using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>
/// The fauxqs S3+SQS emulator (npm package pinned in emulator/package.json) as a child node process on a free
/// loopback port. Installs it with <c>npm ci</c> from the committed lock when node_modules is missing.
/// </summary>
internal sealed class FauxqsProcess : IAsyncDisposable
{
    private const string ListeningMarker = "FAUXQS_LISTENING ";
    private const int MaxCapturedChars = 16_000;
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly EventHandler _killOnExit;

    private FauxqsProcess(Process process, string url)
    {
        _process = process;
        Url = url;

        // Last resort if the fixture is never disposed (test host killed mid-run): the launcher also watches our PID.
        _killOnExit = (_, _) => KillQuietly(process);
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    /// <summary>The emulator's base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    /// <summary>tests/TrailSieve.IntegrationTests/emulator, found by walking up from the test assembly.</summary>
    public static string FindEmulatorDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "TrailSieve.IntegrationTests", "emulator");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/TrailSieve.IntegrationTests/emulator/package.json not found above " + AppContext.BaseDirectory);
    }

    public static bool IsInstalled(string directory) =>
        File.Exists(Path.Combine(directory, "node_modules", "fauxqs", "package.json"));

    /// <summary><c>npm ci</c> in <paramref name="directory"/>: exactly the committed lock; uses the npm cache first, so it works offline once cached.</summary>
    public static async Task InstallAsync(string directory, Action<string> log)
    {
        log($"fauxqs: node_modules missing in {directory}, running npm ci");
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, output) = await RunToEndAsync(
            OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], directory, InstallTimeout);
        if (exitCode != 0 || !IsInstalled(directory))
        {
            throw new InvalidOperationException($"npm ci in {directory} failed (exit code {exitCode}):{Environment.NewLine}{output}");
        }

        log($"fauxqs: npm ci done in {stopwatch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Starts the emulator and returns once it printed its address and answers GET /health.</summary>
    public static async Task<FauxqsProcess> StartAsync(string directory, string region)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("serve.mjs");
        info.Environment["FAUXQS_PORT"] = "0";
        info.Environment["FAUXQS_DEFAULT_REGION"] = region;
        info.Environment["FAUXQS_LOGGER"] = "false";
        info.Environment["FAUXQS_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var stderr = new StringBuilder();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(ListeningMarker, StringComparison.Ordinal))
            {
                listening.TrySetResult(line[ListeningMarker.Length..].Trim());
            }
        };
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Exited += (_, _) => listening.TrySetException(
            new InvalidOperationException($"fauxqs exited with code {process.ExitCode} before listening; stderr:{Environment.NewLine}{Read(stderr)}"));

        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException("cannot run `node` (the fauxqs emulator needs Node.js >= 20 on PATH): " + e.Message, e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = Stopwatch.StartNew();
            string url;
            try
            {
                url = await listening.Task.WaitAsync(StartTimeout);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"fauxqs printed no address within {StartTimeout.TotalSeconds} s; stderr:{Environment.NewLine}{Read(stderr)}");
            }

            await WaitForHealthAsync(url, StartTimeout - deadline.Elapsed, stderr);
            return new FauxqsProcess(process, url);
        }
        catch
        {
            await StopAsync(process);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        return StopAsync(_process);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Closes stdin (the launcher exits on EOF), then kills the whole process tree if it is still there.</summary>
    private static async ValueTask StopAsync(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            try
            {
                process.StandardInput.Close();
                using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await process.WaitForExitAsync(graceful.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                KillQuietly(process);
                using var killed = new CancellationTokenSource(StopTimeout);
                await process.WaitForExitAsync(killed.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        finally
        {
            process.Dispose();
        }
    }

    private static async Task WaitForHealthAsync(string url, TimeSpan budget, StringBuilder stderr)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        string last = "no attempt";
        while (deadline.Elapsed < budget)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url + "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException e)
            {
                last = e.Message;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"fauxqs at {url} did not answer GET /health ({last}); stderr:{Environment.NewLine}{Read(stderr)}");
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string fileName, string[] arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run `{fileName}` (installing the fauxqs emulator needs Node.js >= 20 and npm on PATH): {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{fileName} {string.Join(' ', arguments)}` did not finish within {timeout.TotalMinutes} min:{Environment.NewLine}{Read(output)}");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        return (process.ExitCode, Read(output));
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
            if (buffer.Length > MaxCapturedChars)
            {
                buffer.Remove(0, buffer.Length - MaxCapturedChars);
            }
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.Length == 0 ? "(empty)" : buffer.ToString();
        }
    }
}
