using System.Diagnostics;
using System.Text.RegularExpressions;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Build;

/// <summary>
/// CheckPackageFamilies of Directory.Build.targets: a package family whose pins split fails the build, naming the
/// package and both versions. Each test runs a real <c>dotnet build</c> of a throwaway project laid out like the
/// repository (its own Directory.Packages.props, and a copy of the real Directory.Build.targets and global.json), so
/// what is proven is the hook that runs on every build as well as the rule; each split is the real
/// Directory.Packages.props with one pin changed.
/// </summary>
public sealed class PackageFamiliesTests : IDisposable
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(3);

    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-package-families-").FullName;

    private static string RealPins => File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Packages.props"));

    [Fact]
    public async Task Build_RealPins_Succeeds()
    {
        // Given the repository's own Directory.Packages.props
        // When a project under it builds
        var (code, output) = await BuildAsync(RealPins);

        // Then the check passes it: every family is on one line
        Assert.True(code == 0, output);
        Assert.DoesNotContain("family split", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_AwsSdkServiceOnAnotherLine_FailsNamingThePackageAndBothVersions()
    {
        // Given AWSSDK.S3 back on 4.0 while Core and the other services are on 4.1
        var pins = WithPin(RealPins, "AWSSDK.S3", "4.0.104.5");

        // When a project builds
        var (code, output) = await BuildAsync(pins);

        // Then it fails with S3, its version and line, and Core's, and names no package that is on Core's line
        Assert.NotEqual(0, code);
        Assert.Contains($"error TS0001: AWSSDK family split: AWSSDK.S3 4.0.104.5 is on the 4.0 line, but AWSSDK.Core {Pin(pins, "AWSSDK.Core")} is on 4.1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("split: AWSSDK.SQS", output, StringComparison.Ordinal);
        Assert.DoesNotContain("split: AWSSDK.SimpleSystemsManagement", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_AwsSdkCoreOnAnotherLine_FailsNamingEveryServiceAgainstCore()
    {
        // Given Core back on 4.0 under services on 4.1
        var pins = WithPin(RealPins, "AWSSDK.Core", "4.0.102.19");

        // When a project builds
        var (code, output) = await BuildAsync(pins);

        // Then each service is named against Core 4.0.102.19
        Assert.NotEqual(0, code);
        foreach (var service in new[] { "AWSSDK.S3", "AWSSDK.SQS", "AWSSDK.SimpleSystemsManagement" })
        {
            Assert.Contains($"AWSSDK family split: {service} {Pin(pins, service)} is on the 4.1 line, but AWSSDK.Core 4.0.102.19 is on 4.0", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Build_AwsSdkCorePatchApartFromTheServices_Succeeds()
    {
        // Given Core on another 4.1 patch than every service (as AWS ships Core)
        var pins = WithPin(RealPins, "AWSSDK.Core", "4.1.0");
        Assert.NotEqual("4.1.0", Pin(pins, "AWSSDK.S3"));

        // When a project builds
        var (code, output) = await BuildAsync(pins);

        // Then the check lets it through: one major.minor line is the rule, not one exact version
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Build_OpenTelemetryVersionsDiffer_FailsNamingThePackageAndBothVersions()
    {
        // Given the OTLP exporter one minor version behind Extensions.Hosting
        var pins = WithPin(RealPins, "OpenTelemetry.Exporter.OpenTelemetryProtocol", "1.20.1");

        // When a project builds
        var (code, output) = await BuildAsync(pins);

        // Then it fails naming the exporter, its version and the version of the family's first pin
        Assert.NotEqual(0, code);
        Assert.Contains($"error TS0002: OpenTelemetry family split: OpenTelemetry.Exporter.OpenTelemetryProtocol is 1.20.1, but OpenTelemetry.Extensions.Hosting is {Pin(pins, "OpenTelemetry.Extensions.Hosting")}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("AWSSDK family split", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProject_GetsTheRootDirectoryBuildTargets()
    {
        // MSBuild imports only the nearest Directory.Build.targets above a project: one in a sub-folder without the
        // root's would drop the check for every project below it.
        var root = Path.Combine(RepoPaths.Root, "Directory.Build.targets");
        Assert.Contains("<Target Name=\"CheckPackageFamilies\" BeforeTargets=\"CollectCentralPackageVersions;BeforeBuild\">", File.ReadAllText(root), StringComparison.Ordinal);
        var projects = Directory.EnumerateFiles(RepoPaths.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git"))
            .ToList();
        Assert.NotEmpty(projects);
        Assert.All(projects, project => Assert.Equal(root, NearestTargets(Path.GetDirectoryName(project)!)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary><paramref name="pins"/> with the Version of <paramref name="package"/>'s PackageVersion replaced.</summary>
    private static string WithPin(string pins, string package, string version)
    {
        var changed = PinPattern(package).Replace(pins, m => m.Groups["head"].Value + version + "\"", 1);
        Assert.NotEqual(pins, changed);
        return changed;
    }

    private static string Pin(string pins, string package)
    {
        var match = PinPattern(package).Match(pins);
        Assert.True(match.Success, $"no PackageVersion of {package} in Directory.Packages.props");
        return match.Groups["version"].Value;
    }

    private static Regex PinPattern(string package) =>
        new($"(?<head><PackageVersion Include=\"{Regex.Escape(package)}\" Version=\")(?<version>[^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static string? NearestTargets(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Directory.Build.targets");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>dotnet build</c> (restore included) of an empty class library in <see cref="_dir"/> under
    /// <paramref name="pins"/>; the exit code and everything it printed.
    /// </summary>
    private async Task<(int Code, string Output)> BuildAsync(string pins)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "Directory.Packages.props"), pins);
        File.Copy(Path.Combine(RepoPaths.Root, "Directory.Build.targets"), Path.Combine(_dir, "Directory.Build.targets"));
        File.Copy(Path.Combine(RepoPaths.Root, "global.json"), Path.Combine(_dir, "global.json"));
        // Stops MSBuild's search for a Directory.Build.props above the temporary folder.
        await File.WriteAllTextAsync(Path.Combine(_dir, "Directory.Build.props"), "<Project />\n");
        await File.WriteAllTextAsync(
            Path.Combine(_dir, "Probe.csproj"),
            "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n");

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "build", "Probe.csproj", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
        {
            info.ArgumentList.Add(arg);
        }

        // The test host's own MSBuild settings (set when `dotnet test` built and started it) are not the child's.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet build");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_buildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet build did not end within {s_buildTimeout}:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
