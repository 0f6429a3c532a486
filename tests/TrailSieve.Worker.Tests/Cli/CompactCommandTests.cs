using Amazon.Runtime;
using TrailSieve.Analytics.Storage;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class CompactCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-compact-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("out", "out")]
    [InlineData("out", "out/parquet")]
    [InlineData("out/records", "out")]
    [InlineData("s3://bucket/records/", "s3://bucket/records/parquet/")]
    [InlineData("s3://bucket/records", "s3://bucket/")]
    public async Task Compact_OutputOverlapsInput_Exit2SaysWhyAndWritesNothing(string input, string output)
    {
        // Given locations where the Parquet would land under the JSON (or the JSON under the Parquet)
        var (i, o) = (Local(input), Local(output));
        Directory.CreateDirectory(input.StartsWith("s3://", StringComparison.Ordinal) ? _dir : i);

        // When
        var (code, stdout, stderr) = await CliRunner.RunAsync("compact", "--input", i, "--output", o);

        // Then
        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("overlaps --input", stderr, StringComparison.Ordinal);
        Assert.Contains("CloudTrail SerDe", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Compact_OutputBesideInput_Runs()
    {
        var samples = Path.Combine(RepoPaths.Root, "samples");

        var (code, _, stderr) = await CliRunner.RunAsync("compact", "--input", samples, "--output", Path.Combine(_dir, "samples-parquet"));

        Assert.True(code == 0, stderr);
    }

    [Theory]
    [InlineData("--accounts", "12345", "--accounts: '12345' is not a 12-digit account id")]
    [InlineData("--accounts", "111122223333,abc", "--accounts: 'abc' is not a 12-digit account id")]
    [InlineData("--spool-limit", "lots", "--spool-limit: 'lots' is not a size")]
    [InlineData("--target-size", "10KB", "--target-size: '10KB' is not a size of at least 1MB")]
    public async Task Compact_BadOption_Exit2NamesIt(string option, string value, string message)
    {
        var (code, _, stderr) = await CliRunner.RunAsync("compact", "--input", Path.Combine(RepoPaths.Root, "samples"), "--output", _dir, option, value);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ObjectStoreOpener_NoRegion_StoreUnavailableSayingWhatToSet()
    {
        // The SDK refuses to make a client without a region or endpoint; the command reports that, not a stack trace
        using var stores = new ObjectStoreOpener(new S3Encryption(OutputEncryption.S3, string.Empty), () => throw new AmazonClientException("No RegionEndpoint or ServiceURL configured"));

        var error = Assert.Throws<StoreException>(() => stores.Open("s3://bucket/records/"));

        Assert.Equal(StoreFailure.Unavailable, error.Failure);
        Assert.Contains("s3://bucket/records/: cannot create the S3 client (set AWS_REGION, or AWS_ENDPOINT_URL for an emulator)", error.Message, StringComparison.Ordinal);
        Assert.IsType<LocalObjectStore>(stores.Open(_dir));
    }

    [Theory]
    [InlineData(StoreFailure.Unavailable, ExitCodes.Unavailable)]
    [InlineData(StoreFailure.ObjectMissing, ExitCodes.InputFailed)]
    public void Fail_StoreException_MessageAndExitCode(StoreFailure failure, int exit)
    {
        using var error = new StringWriter();

        var code = AnalyticsOptions.Fail("compact", new StoreException("cannot list s3://bucket/records/: AccessDenied: Access Denied", failure, null), error);

        Assert.Equal(exit, code);
        Assert.Equal("compact: cannot list s3://bucket/records/: AccessDenied: Access Denied", error.ToString().TrimEnd());
    }

    private string Local(string location) => location.StartsWith("s3://", StringComparison.Ordinal) ? location : Path.Combine(_dir, location);
}
