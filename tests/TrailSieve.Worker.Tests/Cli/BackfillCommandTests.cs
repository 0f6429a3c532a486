using TrailSieve.Worker.Cli;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class BackfillCommandTests
{
    [Theory]
    [InlineData("--from 2026-13-01 --dry-run", "--from: '2026-13-01' is not a date (yyyy-MM-dd)")]
    [InlineData("--from 2026-02-01 --to 2026-01-01 --dry-run", "--to 2026-01-01 must be after --from 2026-02-01 (--to is exclusive)")]
    [InlineData("--accounts 1234 --dry-run", "--accounts: '1234' is not a 12-digit account id")]
    [InlineData("--regions eu-west-1,Europe --dry-run", "--regions: 'Europe' is not a region name")]
    [InlineData("--list-parallelism 0 --dry-run", "--list-parallelism: 0 is not between 1 and 64")]
    [InlineData("--checkpoint-interval soon --dry-run", "--checkpoint-interval: 'soon' is not a duration")]
    [InlineData("--object-rate 0 --dry-run", "--rate and --object-rate: must be above 0")]
    [InlineData("--tasks 0 --dry-run", "--tasks: must be at least 1")]
    [InlineData("--include-keys AWSLogs/ re:( --dry-run", "--include-keys: 're:(' is not a usable regular expression")]
    [InlineData("--exclude-keys re:/(?=ap-) --dry-run", "--exclude-keys: 're:/(?=ap-)' is not a usable regular expression")]
    [InlineData("--exclude-keys re: --dry-run", "--exclude-keys: 're:' has no pattern after re:")]
    [InlineData("--expected-bucket-owner 1234 --dry-run", "--expected-bucket-owner: '1234' is not an AWS account id (12 digits)")]
    [InlineData("--output-bucket out", "rules (--rules, or CONFIG_SOURCE/CONFIG_FILE) and --output-bucket are required to process")]
    [InlineData("--rules missing-rules.yaml --output-bucket out", "missing-rules.yaml")]
    public async Task Usage_errors_name_the_option_and_exit_2_before_any_AWS_call(string arguments, string message)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await TrailSieveCommand.InvokeAsync(["backfill", "--bucket", "trail", .. arguments.Split(' ')], stdout, stderr);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
    }
}
