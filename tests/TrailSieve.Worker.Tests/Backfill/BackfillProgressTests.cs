using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class BackfillProgressTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Render_WhileCounting_ShowsWhatIsListedSoFarAndNoEta()
    {
        // Given four partitions planned, two objects of 2 MB listed so far and one done after 10 s
        var progress = new BackfillProgress(_time);
        progress.Planned(4);
        progress.Listed(2_000_000);
        progress.Listed(2_000_000);
        _time.Advance(TimeSpan.FromSeconds(10));
        progress.Done(2_000_000);

        // When it is shown before the counting walk has finished
        var line = progress.Render(withBar: true);

        // Then the totals are what is listed so far, with the rate and no bar or ETA
        Assert.Equal("1 objects done (2.0 MB)  0.2 MB/s  listing… 2 objects (4.0 MB) so far  partitions 0/4", line);
        Assert.Null(progress.Eta);
    }

    [Fact]
    public void Render_CountDone_DoneOfTotalRateAndEta()
    {
        // Given all four objects (4 MB) counted and two done in 10 s
        var progress = new BackfillProgress(_time);
        progress.Planned(2);
        for (var i = 0; i < 4; i++)
        {
            progress.Listed(1_000_000);
        }

        progress.CompleteListing();
        _time.Advance(TimeSpan.FromSeconds(10));
        progress.Done(1_000_000);
        progress.Done(1_000_000);
        progress.PartitionDone();

        // When it is shown, with a bar and without
        var withBar = progress.Render(withBar: true);
        var plain = progress.Render(withBar: false);

        // Then half is done at 0.2 MB/s, so the other half takes 10 s more
        Assert.Equal("[############------------] 2/4 objects  2.0 MB/4.0 MB  0.2 MB/s  ETA 0:00:10  partitions 1/2", withBar);
        Assert.Equal("2/4 objects  2.0 MB/4.0 MB  0.2 MB/s  ETA 0:00:10  partitions 1/2", plain);
        Assert.Equal(TimeSpan.FromSeconds(10), progress.Eta);
    }

    [Fact]
    public void Eta_BigObjectsFirstSmallOnesLeft_TheObjectRateDecides()
    {
        // Given ten objects counted, 10 MB in all, and one of 9 MB done in 9 s (1 MB/s, but one object per 9 s)
        var progress = new BackfillProgress(_time);
        progress.Listed(9_000_000);
        for (var i = 0; i < 9; i++)
        {
            progress.Listed(111_111);
        }

        progress.CompleteListing();
        _time.Advance(TimeSpan.FromSeconds(9));
        progress.Done(9_000_000);

        // Then the ETA is the nine objects left at one per 9 s, not the 1 MB left at 1 MB/s
        Assert.Equal(TimeSpan.FromSeconds(81), progress.Eta);
    }

    [Fact]
    public async Task ListingCompleted_CompleteListing_CompletesAndTotalsAreFinal()
    {
        var progress = new BackfillProgress(_time);
        Assert.False(progress.ListingCompleted.IsCompleted);

        progress.CompleteListing();

        await progress.ListingCompleted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(progress.ListingComplete);
    }

    [Fact]
    public void Format_BytesAndDurations_Readable()
    {
        Assert.Equal("1d 2h 03m", BackfillProgress.FormatDuration(new TimeSpan(1, 2, 3, 4)));
        Assert.Equal("0:01:30", BackfillProgress.FormatDuration(TimeSpan.FromSeconds(90)));
        Assert.Equal("1.50 GB", BackfillProgress.FormatBytes(1_500_000_000));
        Assert.Equal("36.6 kB", BackfillProgress.FormatBytes(36_600));
    }
}
