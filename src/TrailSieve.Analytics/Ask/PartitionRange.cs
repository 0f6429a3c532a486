using System.Globalization;
using System.Text;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Ask;

/// <summary>
/// The partition days (UTC) a question's time range can touch, and the condition on the <c>year</c>, <c>month</c>
/// and <c>day</c> partition columns that selects them, so Athena reads only those partitions (and the local view
/// filters on the same columns). Partitions are the UTC day of <c>eventTime</c>, so a closed range selects exactly
/// the days the <c>eventtime</c> condition can keep. An open end ("since", "last N days", "today") stops at the end
/// of tomorrow (UTC): CloudTrail records no future calls, the spare day covers a clock running a little ahead, and
/// without an end Athena's projection would list every partition up to its last projected year.
/// </summary>
/// <param name="First">First day, or null for no lower bound ("before DATE").</param>
/// <param name="Last">Last day (inclusive).</param>
internal sealed record PartitionRange(DateOnly? First, DateOnly Last)
{
    /// <summary>Up to this many days, the days are listed (tight for Athena's projection); beyond, bounds are compared.</summary>
    public const int ListedDays = 62;

    /// <summary>The days of [<paramref name="from"/>, <paramref name="until"/>, or tomorrow); null when the question has no time range.</summary>
    public static PartitionRange? Of(DateTime? from, DateTime? until, DateTime now)
    {
        if (from is null && until is null)
        {
            return null;
        }

        var end = until ?? now.Date.AddDays(2);
        var last = DateOnly.FromDateTime(end.AddTicks(-1));
        return new PartitionRange(from is { } f ? DateOnly.FromDateTime(f) : null, last);
    }

    /// <summary>The condition on the partition columns; <c>false</c> when the range holds no day.</summary>
    public string Condition()
    {
        if (First is { } first && first > Last)
        {
            return "false";
        }

        if (First is { } start && Last.DayNumber - start.DayNumber < ListedDays)
        {
            return Listed(start);
        }

        var upper = Bound(Last, "<", "<=");
        return First is { } lower ? $"{Bound(lower, ">", ">=")}\n  AND {upper}" : upper;
    }

    /// <summary>One disjunct per month: <c>(year = 'Y' AND month = 'M' AND day IN (...))</c>, no day for a whole month.</summary>
    private string Listed(DateOnly start)
    {
        var months = new List<string>();
        for (var month = new DateOnly(start.Year, start.Month, 1); month <= Last; month = month.AddMonths(1))
        {
            var end = month.AddMonths(1).AddDays(-1);
            var from = month < start ? start : month;
            var to = end > Last ? Last : end;
            var days = Enumerable.Range(from.Day, to.Day - from.Day + 1).Select(d => Sql.Literal(Two(d))).ToList();
            var day = from == month && to == end ? string.Empty
                : days.Count == 1 ? $" AND day = {days[0]}"
                : $" AND day IN ({string.Join(", ", days)})";
            months.Add($"year = {Sql.Literal(Four(month.Year))} AND month = {Sql.Literal(Two(month.Month))}{day}");
        }

        return months.Count == 1 ? months[0] : "(" + string.Join("\n    OR ", months.Select(m => $"({m})")) + ")";
    }

    /// <summary>(year, month, day) compared with a day; the columns are fixed-width text, so text order is date order.</summary>
    private static string Bound(DateOnly day, string strict, string inclusive)
    {
        var (y, m, d) = (Sql.Literal(Four(day.Year)), Sql.Literal(Two(day.Month)), Sql.Literal(Two(day.Day)));
        return new StringBuilder()
            .Append("(year ").Append(strict).Append(' ').Append(y)
            .Append(" OR (year = ").Append(y).Append(" AND (month ").Append(strict).Append(' ').Append(m)
            .Append(" OR (month = ").Append(m).Append(" AND day ").Append(inclusive).Append(' ').Append(d).Append("))))")
            .ToString();
    }

    private static string Four(int value) => value.ToString("D4", CultureInfo.InvariantCulture);

    private static string Two(int value) => value.ToString("D2", CultureInfo.InvariantCulture);
}
