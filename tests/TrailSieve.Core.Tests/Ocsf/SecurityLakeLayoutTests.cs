using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;

namespace TrailSieve.Core.Tests.Ocsf;

public class SecurityLakeLayoutTests
{
    [Fact]
    public void Render_Partition_IsSecurityLakesCustomSourceLayoutWithOneSourcePerClass()
    {
        // Given the default source name and a partition of Authentication events
        var layout = new SecurityLakeLayout("trailsieve");
        var partition = new PartitionKey("111122223333", "eu-west-1", new DateOnly(2026, 1, 2), 3002);

        // When a key is made
        var key = layout.Render("lake/", partition, new DateTimeOffset(2026, 1, 3, 4, 5, 0, TimeSpan.Zero), "abc");

        // Then
        Assert.Equal("lake/ext/trailsieve-3002/region=eu-west-1/accountId=111122223333/eventDay=20260102/20260103T0405Z_abc.parquet", key);
    }

    [Fact]
    public void Render_WithSourceVersion_PutsTheVersionFolderAfterTheSource()
    {
        var layout = new SecurityLakeLayout("ts", "2");
        var key = layout.Render(string.Empty, new PartitionKey("111122223333", "us-east-1", new DateOnly(2026, 1, 2), 6003), DateTimeOffset.UnixEpoch, "x");
        Assert.StartsWith("ext/ts-6003/2/region=us-east-1/", key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-name-too-long-16")]
    [InlineData("bad/name")]
    public void Constructor_BadSourceName_ThrowsNamingIt(string name)
    {
        var ex = Assert.Throws<FormatException>(() => new SecurityLakeLayout(name));
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }
}
