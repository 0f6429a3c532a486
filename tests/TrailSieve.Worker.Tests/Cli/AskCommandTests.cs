using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class AskCommandTests
{
    private static string Samples => Path.Combine(RepoPaths.Root, "samples");

    [Fact]
    public async Task Ask_AthenaWithoutAccount_Exit2SaysTheAccountIsNeededAndPrintsNoSql()
    {
        // Given a question that names no account, for the Athena table whose account partition is injected
        var (code, stdout, stderr) = await CliRunner.RunAsync("ask", "how many s3 events yesterday", "--dialect", "athena");

        // Then nothing Athena would refuse is printed, and the message says what to add
        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Empty(stdout);
        Assert.Contains("the SQL needs the account", stderr, StringComparison.Ordinal);
        Assert.Contains("in account N", stderr, StringComparison.Ordinal);
        Assert.Contains("--accounts", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_AccountsOption_FiltersTheLocalQueryToo()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("ask", "how many events", "--accounts", "534439589175", "--data", Samples, "--format", "csv");
        var direct = await CliRunner.RunAsync("query", "SELECT count(*) AS events FROM cloudtrail WHERE account = '534439589175'", "--data", Samples, "--format", "csv");

        Assert.True(code == 0, stderr);
        Assert.Contains("WHERE account = '534439589175';", stdout, StringComparison.Ordinal);
        Assert.EndsWith(direct.Stdout, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_BadAccountsOption_Exit2NamesTheValue()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("ask", "how many events", "--accounts", "1234", "--dialect", "athena");

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("--accounts: '1234' is not a 12-digit account id", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_AccountsCommaSeparated_AsForReportAndCompact()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("ask", "how many events", "--accounts", "444455556666,111122223333", "--dialect", "athena");

        Assert.True(code == 0, stderr);
        Assert.Contains("WHERE account IN ('111122223333', '444455556666');", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_TableRunLocally_Exit2SaysTheViewIsCloudtrail()
    {
        // The local engine's view is always "cloudtrail": a query of another name would fail inside DuckDB
        var (code, stdout, stderr) = await CliRunner.RunAsync("ask", "how many events", "--table", "security.trail", "--data", Samples);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Empty(stdout);
        Assert.Contains("--table security.trail", stderr, StringComparison.Ordinal);
        Assert.Contains("'cloudtrail'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_TableWithSqlOnly_PrintsTheSqlOverThatTable()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("ask", "how many events", "--table", "security.trail", "--sql-only");

        Assert.True(code == 0, stderr);
        Assert.Equal("SELECT count(*) AS events\nFROM security.trail;\n", stdout.ReplaceLineEndings("\n"));
    }
}
