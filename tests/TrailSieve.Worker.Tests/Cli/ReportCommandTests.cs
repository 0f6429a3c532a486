using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--accounts", "../../etc", "--accounts: '../../etc' is not a 12-digit account id")]
    [InlineData("--accounts", "1111222233334", "--accounts: '1111222233334' is not a 12-digit account id")]
    [InlineData("--spool-limit", "0", "--spool-limit: '0' is not a size")]
    public async Task Report_BadOption_Exit2NamesItAndWritesNothing(string option, string value, string message)
    {
        var output = Path.Combine(_dir, "reports");

        var (code, _, stderr) = await CliRunner.RunAsync("report", "--month", "2026-10", "--data", Path.Combine(RepoPaths.Root, "samples"), "--out", output, option, value);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Report_Accounts_OnlyThoseAccounts()
    {
        var output = Path.Combine(_dir, "reports");

        var (code, stdout, stderr) = await CliRunner.RunAsync("report", "--month", "2026-10", "--accounts", "534439589175", "--data", Path.Combine(RepoPaths.Root, "samples"), "--out", output);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("report 2026-10: accounts 1,", stdout, StringComparison.Ordinal);
        Assert.Equal(["534439589175.html", "534439589175.json", "index.html", "index.json"], Directory.GetFiles(Path.Combine(output, "2026-10")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Report_FindingsInsideTheData_NotReadAsData()
    {
        // Given findings under DATA/alerts/ (the default), which are *.jsonl.gz, and a report folder inside the data
        var data = Path.Combine(_dir, "data");
        CopyDirectory(Path.Combine(RepoPaths.Root, "samples"), data);
        Directory.CreateDirectory(Path.Combine(data, "alerts"));
        File.WriteAllBytes(Path.Combine(data, "alerts", "findings-1.jsonl.gz"), Gzip.Compress("""{"severity":"high","eventTime":"2026-10-05T01:00:00Z","recipientAccountId":"534439589175"}""" + "\n"));

        // When the report is written into the data folder twice
        var first = await CliRunner.RunAsync("report", "--month", "2026-10", "--data", data, "--out", Path.Combine(data, "reports"));
        var second = await CliRunner.RunAsync("report", "--month", "2026-10", "--data", data, "--out", Path.Combine(data, "reports"));

        // Then the second run reads the same data files: neither the findings nor the first run's reports
        Assert.True(first.Code == 0, first.Stderr);
        Assert.Contains("data files 4, findings 1 files", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("data files 4, findings 1 files", second.Stdout, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
