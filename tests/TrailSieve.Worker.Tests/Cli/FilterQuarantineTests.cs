using System.Text.Json;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class FilterQuarantineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-quarantine-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Filter_FileWithOneUnusableRecordInTheMiddle_WritesTheOthersAndQuarantinesIt()
    {
        // Given a local file whose middle element is a string, not a record
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        var json = "{\"Records\":[" + OutputDocuments.Record("RunInstances", id: 1) + ",\"oops\"," + OutputDocuments.Record("RunInstances", id: 2) + "]}";
        await File.WriteAllBytesAsync(Path.Combine(input, "a.json.gz"), Gzip.Compress(json));
        var output = Path.Combine(_dir, "out");
        var rules = Path.Combine(_dir, "rules.yaml");
        await File.WriteAllTextAsync(rules, "rules: []\n");

        // When
        var (code, stdout, stderr) = await CliRunner.RunAsync("filter", "--rules", rules, "--out", output, input);

        // Then the file succeeds with both records written, the summary counts the quarantined one, and the output
        // folder holds its line under quarantine/yyyy/MM/dd/
        Assert.True(code == 0, stderr);
        Assert.Equal(2, OutputDocuments.Records(Gzip.Decompress(await File.ReadAllBytesAsync(Path.Combine(output, "a.json.gz")))).Count);
        Assert.Contains("records 2, kept 2, dropped 0, quarantined 1", stdout, StringComparison.Ordinal);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(output, "quarantine"), "*.jsonl.gz", SearchOption.AllDirectories));
        Assert.Matches(@"quarantine[/\\]\d{4}[/\\]\d{2}[/\\]\d{2}[/\\]quarantine-[A-Za-z0-9]{16}\.jsonl\.gz$", file);
        var line = JsonSerializer.Deserialize<JsonElement>(Gzip.Decompress(await File.ReadAllBytesAsync(file)));
        Assert.Equal(Path.Combine(input, "a.json.gz"), line.GetProperty("source").GetString());
        Assert.Equal((1L, "NotAnObject", "\"oops\""), (line.GetProperty("index").GetInt64(), line.GetProperty("kind").GetString(), line.GetProperty("record").GetRawText()));
        Assert.DoesNotContain("oops", stderr + stdout, StringComparison.Ordinal);
    }
}
