using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class BackfillProgressTests
{
    [Fact]
    public void Render_WhileListingAndAfter_GrowingTotalsThenAnEta()
    {
        var progress = new BackfillProgress();
        progress.PartitionFound();
        progress.Listed(2_000_000);
        progress.Listed(2_000_000);
        progress.Done(2_000_000);

        var listing = progress.Render(withBar: true);
        progress.CompleteListing();
        var listed = progress.Render(withBar: false);

        Assert.StartsWith("[############------------] 1/2+ objects  2.0 MB/4.0 MB+", listing, StringComparison.Ordinal);
        Assert.Contains("listing…", listing, StringComparison.Ordinal);
        Assert.StartsWith("1/2 objects  2.0 MB/4.0 MB  ", listed, StringComparison.Ordinal);
        Assert.Contains("ETA ", listed, StringComparison.Ordinal);
        Assert.Equal("1d 2h 03m", BackfillProgress.FormatDuration(new TimeSpan(1, 2, 3, 4)));
        Assert.Equal("1.50 GB", BackfillProgress.FormatBytes(1_500_000_000));
    }
}
