using System.Text;
using TrailSieve.Core.Batching;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.Batching;

public class DedupWindowTests
{
    [Fact]
    public void Check_SameEventIdAndBytesTwice_SecondIsDuplicate()
    {
        // Given a window that has seen a record
        var window = new DedupWindow(10);
        var record = Record("a", "RunInstances");
        Assert.Equal(DedupCheck.Remembered, Check(window, "a", record));

        // When the same record comes again
        var second = Check(window, "a", record);

        // Then it is a duplicate, and remembered once
        Assert.Equal(DedupCheck.Duplicate, second);
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void Check_SameEventIdDifferentBytes_BothRemembered()
    {
        // Given the real corpus's two different records that share an eventID (and eventTime, eventSource, eventName)
        var records = SharedEventIds.Records();
        var window = new DedupWindow(10);

        // When both are checked
        var first = Check(window, SharedEventIds.EventId, records[0]);
        var second = Check(window, SharedEventIds.EventId, records[1]);

        // Then neither is a duplicate
        Assert.Equal((DedupCheck.Remembered, DedupCheck.Remembered), (first, second));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void Check_SameHashesDifferentEventIdBytes_NotDuplicate()
    {
        // Given a remembered record, and another claiming the same two hashes for another eventID (a hash collision)
        var window = new DedupWindow(10);
        Assert.Equal(DedupCheck.Remembered, window.Check("a"u8, 42, 7));

        // When checked
        var collided = window.Check("b"u8, 42, 7);

        // Then the eventIDs are compared byte by byte, so the collision does not drop it
        Assert.Equal(DedupCheck.Remembered, collided);
        Assert.Equal(DedupCheck.Duplicate, window.Check("a"u8, 42, 7));
    }

    [Fact]
    public void Check_WindowFull_NewRecordsNotRememberedButRememberedOnesStillCaught()
    {
        // Given a window of two, filled
        var window = new DedupWindow(2);
        Assert.Equal(DedupCheck.Remembered, Check(window, "a", Record("a", "A")));
        Assert.Equal(DedupCheck.Remembered, Check(window, "b", Record("b", "B")));

        // When a third record comes, twice, and a remembered one again
        var third = Check(window, "c", Record("c", "C"));
        var thirdAgain = Check(window, "c", Record("c", "C"));
        var firstAgain = Check(window, "a", Record("a", "A"));

        // Then the third is never remembered (both copies pass, counted), the first is still a duplicate
        Assert.Equal((DedupCheck.NotRemembered, DedupCheck.NotRemembered), (third, thirdAgain));
        Assert.Equal(DedupCheck.Duplicate, firstAgain);
        Assert.Equal(2, window.Count);
        Assert.Equal(2, window.NotRemembered);
    }

    [Fact]
    public void Check_ManyRecords_EveryIdKeptApartAsTheBufferGrows()
    {
        // Given more eventIDs than the window's first buffer holds
        var window = new DedupWindow(10_000);
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal(DedupCheck.Remembered, Check(window, $"id-{i}", Record($"id-{i}", "A")));
        }

        // Then each is found again, and none is mistaken for another
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal(DedupCheck.Duplicate, Check(window, $"id-{i}", Record($"id-{i}", "A")));
        }

        Assert.Equal(DedupCheck.Remembered, Check(window, "id-5000", Record("id-5000", "A")));
        Assert.Equal(5001, window.Count);
    }

    [Fact]
    public void Check_EmptyEventId_Throws()
    {
        var window = new DedupWindow(10);

        Assert.Throws<ArgumentException>(() => window.Check([], 0, 0));
    }

    private static DedupCheck Check(DedupWindow window, string eventId, string record)
    {
        var id = Encoding.UTF8.GetBytes(eventId);
        return window.Check(id, PieceIdentities.HashEventId(id), PieceIdentities.HashRecord(Encoding.UTF8.GetBytes(record)));
    }

    private static string Record(string eventId, string eventName) =>
        $"{{\"eventTime\":\"2026-01-02T03:04:05Z\",\"eventName\":\"{eventName}\",\"eventID\":\"{eventId}\"}}";
}
