using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class CheckpointLocationTests
{
    [Theory]
    [InlineData("s3://out/checkpoints/", "s3://out/checkpoints/")]
    [InlineData("s3://out/checkpoints", "s3://out/checkpoints/")]
    public void Resolve_NoCheckpointOption_ADocumentPerSourceAndTargetUnderThePrefix(string prefix, string expectedStart)
    {
        // When two runs of one source and target, and one with another target, resolve their checkpoint
        var first = CheckpointLocation.Resolve(null, prefix, "s3://trail/AWSLogs/", "s3://out/records/ batch");
        var again = CheckpointLocation.Resolve(null, prefix, "s3://trail/AWSLogs/", "s3://out/records/ batch");
        var other = CheckpointLocation.Resolve(null, prefix, "s3://trail/AWSLogs/", "sqs https://queue");

        // Then the same command finds the same document, and another target gets its own
        Assert.StartsWith(expectedStart + "backfill-", first, StringComparison.Ordinal);
        Assert.EndsWith(".json", first, StringComparison.Ordinal);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal("given.json", CheckpointLocation.Resolve("given.json", prefix, "s3://trail/AWSLogs/", "sqs https://queue"));
        Assert.Null(CheckpointLocation.Resolve(null, string.Empty, "s3://trail/AWSLogs/", "sqs https://queue"));
    }
}
