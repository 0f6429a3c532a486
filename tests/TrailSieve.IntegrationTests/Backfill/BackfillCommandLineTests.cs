using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Backfill;

/// <summary>
/// <c>trailsieve backfill</c> as a process, the way a Fargate task runs it: stopped by SIGTERM and run again from its
/// S3 checkpoint, and stopped by what it cannot use, each with its documented exit code and no stack trace.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class BackfillCommandLineTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const string Region = "AWSLogs/111122223333/CloudTrail/eu-west-1/";
    private const int Days = 5;
    private const int FilesPerDay = 30;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private readonly string _rules = TrailData.WriteRules();
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-backfill-cli-").FullName;
    private readonly Dictionary<string, List<string>> _records = new(StringComparer.Ordinal);
    private string _source = "";
    private string _output = "";

    public async Task InitializeAsync()
    {
        _source = await aws.CreateBucketAsync("bf-cli-src");
        _output = await aws.CreateBucketAsync("bf-cli-out");
        var id = 0;
        for (var day = 1; day <= Days; day++)
        {
            for (var n = 0; n < FilesPerDay; n++)
            {
                var date = string.Create(CultureInfo.InvariantCulture, $"2026-01-{day:D2}");
                var records = Enumerable.Range(id, 1000).Select(i => TrailData.Record(i, region: "eu-west-1", day: date, padding: new string('p', 200))).ToList();
                id += 1000;
                var key = string.Create(CultureInfo.InvariantCulture, $"{Region}2026/01/{day:D2}/111122223333_CloudTrail_eu-west-1_202601{day:D2}T{n / 12:D2}{n % 12 * 5:D2}Z_f{n}.json.gz");
                await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _source, Key = key, InputStream = new MemoryStream(TrailData.File(records)) });
                _records[key] = records;
            }
        }
    }

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_source);
        await aws.DeleteBucketAsync(_output);
        File.Delete(_rules);
        Directory.Delete(_dir, recursive: true);
        _s3.Dispose();
    }

    [Fact]
    public async Task Backfill_SigtermMidRun_Exits130WithItsS3CheckpointAndTheRerunDoesTheRestExactlyOnce()
    {
        // Given a backfill with the deployed task's default checkpoint location, reading one object at a time
        var settings = new Dictionary<string, string?>
        {
            ["Backfill:CheckpointPrefix"] = $"s3://{_output}/checkpoints/",
            ["Pipeline:ReadParallelism"] = "1",
            ["Pipeline:FilterParallelism"] = "1",
        };
        string[] args = ["backfill", "--bucket", _source, "--prefix", Region, "--rules", _rules, "--output-bucket", _output, "--mode", "mirror", "--list-parallelism", "1"];
        int first;
        List<string> doneFirst;
        using (var cli = CliProcess.Start(aws, args, settings))
        {
            // When it gets SIGTERM once it has filtered an object
            await CliProcess.WaitUntilAsync(() => cli.FilteredKeys(_source).Count > 0, Timeout, cli);
            using (var kill = Process.Start("kill", ["-TERM", cli.Process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            first = await cli.WaitAsync(Timeout);
            doneFirst = cli.FilteredKeys(_source);

            // Then it stops with 130, says where the checkpoint is, and has saved it there
            Assert.True(first == 130, $"exit {first}: {cli.Errors}");
            Assert.Contains($"rerun the same command to go on from the checkpoint s3://{_output}/checkpoints/backfill-", cli.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", cli.Errors, StringComparison.Ordinal);
        }

        var checkpoints = (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _output, Prefix = "checkpoints/" })).S3Objects ?? [];
        Assert.Single(checkpoints);
        Assert.InRange(doneFirst.Count, 1, _records.Count - 1);

        // When the same command runs again
        using var rerun = CliProcess.Start(aws, args, settings);
        var again = await rerun.WaitAsync(Timeout);

        // Then it skips what the first run did and filters the rest, each object once across both runs, all of it
        Assert.True(again == 0, rerun.Errors);
        var doneSecond = rerun.FilteredKeys(_source);
        Assert.Empty(doneFirst.Intersect(doneSecond));
        Assert.Equal(_records.Keys.Order(StringComparer.Ordinal), doneFirst.Concat(doneSecond).Order(StringComparer.Ordinal));
        Assert.Contains("skipped as already done (checkpoint s3://", rerun.Output, StringComparison.Ordinal);
        var outputs = await BucketReader.ReadAllAsync(_s3, _output);
        foreach (var (key, records) in _records)
        {
            Assert.Equal(TrailData.Kept(records), TrailData.RecordsOf(outputs[key]));
        }
    }

    [Fact]
    public async Task Backfill_CheckpointCannotBeWritten_Exits3NamingItWithoutAStackTrace()
    {
        // Given a checkpoint path under a regular file, where no folder can be made
        var file = Path.Combine(_dir, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var checkpoint = Path.Combine(file, "state.json");

        // When a backfill of one day runs with it
        var (code, run) = await CliProcess.RunAsync(
            aws, Timeout, "backfill", "--bucket", _source, "--prefix", Region + "2026/01/01/", "--rules", _rules, "--output-bucket", _output, "--mode", "mirror", "--checkpoint", checkpoint);

        // Then the final save fails the run with exit 3 and one line naming the checkpoint
        Assert.True(code == 3, $"exit {code}: {run.Errors}");
        Assert.Contains($"backfill: checkpoint {checkpoint}: saving it failed: ", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_AwsUnreachable_Exits3SayingSoWithoutAStackTrace()
    {
        // Given an endpoint nothing listens on
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        socket.Close();
        var settings = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{port}", ["TRAILSIEVE_LOG_FORMAT"] = "json" };

        // When a dry run lists through it
        using var cli = CliProcess.Start(aws, ["backfill", "--bucket", _source, "--prefix", Region, "--dry-run"], settings);
        var code = await cli.WaitAsync(Timeout);

        // Then after the retries it exits 3 with the reason, not a crash, and logs it at Critical (what the deployed
        // task errors alarm counts)
        Assert.True(code == 3, $"exit {code}: {cli.Errors}");
        Assert.Contains("backfill: ", cli.Errors, StringComparison.Ordinal);
        Assert.Contains("AWS cannot be reached", cli.Errors, StringComparison.Ordinal);
        var critical = Assert.Single(cli.Stdout.Where(l => l.StartsWith('{')).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement), j => j.GetProperty("EventId").GetInt32() == 702);
        Assert.Equal("Critical", critical.GetProperty("LogLevel").GetString());
        Assert.Contains("AWS cannot be reached", critical.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", cli.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.Errors, StringComparison.Ordinal);
    }
}
