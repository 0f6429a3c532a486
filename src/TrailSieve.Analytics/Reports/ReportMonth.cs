using System.Globalization;

namespace TrailSieve.Analytics.Reports;

/// <summary>A calendar month (UTC) a report covers.</summary>
public readonly record struct ReportMonth(int Year, int Month)
{
    public DateTime Start => new(Year, Month, 1, 0, 0, 0, DateTimeKind.Utc);

    public DateTime End => Start.AddMonths(1);

    public int Days => DateTime.DaysInMonth(Year, Month);

    /// <summary>"2026-10".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <summary>"October 2026".</summary>
    public string Title => Start.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy-MM</c>, or <c>previous</c> for the calendar month before <paramref name="nowUtc"/>'s.</summary>
    public static bool TryParse(string text, DateTime nowUtc, out ReportMonth month)
    {
        month = default;
        if (string.Equals(text, "previous", StringComparison.OrdinalIgnoreCase))
        {
            var previous = new DateTime(nowUtc.Year, nowUtc.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-1);
            month = new ReportMonth(previous.Year, previous.Month);
            return true;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            month = new ReportMonth(parsed.Year, parsed.Month);
            return true;
        }

        return false;
    }
}
