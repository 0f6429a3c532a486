using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class ProgressReporterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Report_Terminal_RedrawsOneLineInPlaceAndClearRemovesIt()
    {
        // Given a terminal and a backfill half done
        var progress = Progress(done: 1);
        using var output = new StringWriter();
        var logger = new FakeLogger();
        var reporter = new ProgressReporter(progress, output, terminal: true, TimeSpan.FromSeconds(10), _time, logger);

        // When it reports twice and is cleared
        reporter.Report();
        var first = output.ToString();
        progress.Done(1_000_000);
        reporter.Report();
        reporter.Clear();

        // Then each report starts with a carriage return and a bar, overwrites the previous one, and nothing is logged
        Assert.StartsWith("\r[######------------------] 1/4 objects", first, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', output.ToString());
        var lines = output.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Equal(first.Length - 1, l.Length));
        Assert.Equal(string.Empty, lines[^1].Trim());
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public void Report_NotATerminal_LogsListingThenProgressEventsAndWritesNothing()
    {
        // Given stdout that is not a terminal (a container with JSON logs)
        var progress = new BackfillProgress(_time);
        progress.Planned(2);
        progress.Listed(3_000_000);
        using var output = new StringWriter();
        var logger = new FakeLogger();
        var reporter = new ProgressReporter(progress, output, terminal: false, TimeSpan.FromSeconds(10), _time, logger);

        // When it reports while counting, and again once the totals are known and half is done
        reporter.Report();
        progress.Listed(1_000_000);
        progress.CompleteListing();
        _time.Advance(TimeSpan.FromSeconds(10));
        progress.Done(2_000_000);
        reporter.Report();

        // Then the first is event 701 with what is listed so far, the second event 700 with totals, rate and ETA
        var records = logger.Collector.GetSnapshot();
        Assert.Equal([701, 700], records.Select(r => r.Id.Id));
        Assert.All(records, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.Equal("1", records[0].GetStructuredStateValue("ObjectsListed"));
        Assert.Equal("3000000", records[0].GetStructuredStateValue("BytesListed"));
        Assert.Equal("2", records[1].GetStructuredStateValue("ObjectsTotal"));
        Assert.Equal("1", records[1].GetStructuredStateValue("ObjectsDone"));
        Assert.Equal("0.2", records[1].GetStructuredStateValue("MegabytesPerSecond"));
        Assert.Equal("00:00:10", records[1].GetStructuredStateValue("Eta"));
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public async Task RunAsync_NotATerminal_LogsEveryIntervalOnTheClock()
    {
        // Given a reporter with a 10 s interval on a fake clock
        var progress = Progress(done: 1);
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new FakeLogger(new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions { OutputSink = _ => logged.TrySetResult() })));
        using var output = new StringWriter();
        var reporter = new ProgressReporter(progress, output, terminal: false, TimeSpan.FromSeconds(10), _time, logger);
        using var stop = new CancellationTokenSource();
        var running = reporter.RunAsync(stop.Token);

        // When 9 s pass nothing is logged; at 10 s one progress event is
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(logger.Collector.GetSnapshot());
        _time.Advance(TimeSpan.FromSeconds(1));
        await logged.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running;

        // Then it is the progress event, and stopping ends the loop quietly
        Assert.Equal(700, Assert.Single(logger.Collector.GetSnapshot()).Id.Id);
    }

    /// <summary>Four objects of 1 MB counted, <paramref name="done"/> of them done.</summary>
    private BackfillProgress Progress(int done)
    {
        var progress = new BackfillProgress(_time);
        progress.Planned(4);
        for (var i = 0; i < 4; i++)
        {
            progress.Listed(1_000_000);
        }

        progress.CompleteListing();
        for (var i = 0; i < done; i++)
        {
            progress.Done(1_000_000);
        }

        return progress;
    }
}
