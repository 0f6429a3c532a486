using System.Globalization;
using System.Net;
using System.Text;

namespace TrailSieve.Analytics.Reports;

/// <summary>Inline SVG bar charts (no script, no external resource), so a report opens offline and prints.</summary>
internal static class Svg
{
    private const string Bar = "#2f6fab";

    /// <summary>Vertical bars, one per day, with a y axis (0, half, max) and the day of month under every few bars.</summary>
    public static string DailyBars(IReadOnlyList<NamedCount> days, string title)
    {
        const int Width = 880, Height = 240, Left = 84, Right = 12, Top = 16, Bottom = 36;
        var max = Math.Max(1, days.Count == 0 ? 1 : days.Max(d => d.Count));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = days.Count == 0 ? plotWidth : (double)plotWidth / days.Count;
        var svg = new StringBuilder();
        svg.Append(F($"<svg role=\"img\" aria-label=\"{E(title)}\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">"));
        svg.Append(F($"<title>{E(title)}</title>"));
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Top + plotHeight - (fraction * plotHeight);
            svg.Append(F($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>"));
            svg.Append(F($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\" font-size=\"12\" fill=\"#555\">{Number((long)Math.Round(max * fraction))}</text>"));
        }

        for (var i = 0; i < days.Count; i++)
        {
            var height = (double)days[i].Count / max * plotHeight;
            var x = Left + (i * slot) + (slot * 0.15);
            svg.Append(F($"<rect x=\"{x:F1}\" y=\"{Top + plotHeight - height:F1}\" width=\"{slot * 0.7:F1}\" height=\"{height:F1}\" fill=\"{Bar}\"><title>{E(days[i].Name)}: {Number(days[i].Count)} events</title></rect>"));
            var dayOfMonth = i + 1;
            // Day 1, every fifth day, and the last day unless it would crowd the fifth before it.
            if (dayOfMonth == 1 || dayOfMonth % 5 == 0 || (i == days.Count - 1 && dayOfMonth % 5 >= 3))
            {
                svg.Append(F($"<text x=\"{Left + (i * slot) + (slot / 2):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">{dayOfMonth}</text>"));
            }
        }

        svg.Append(F($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 4}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">day of month (UTC)</text>"));
        svg.Append(F($"<text transform=\"translate(12 {Top + (plotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">events</text>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars with the name on the left and the count at the end of the bar.</summary>
    public static string HorizontalBars(IReadOnlyList<NamedCount> items, string title)
    {
        const int Width = 880, Row = 26, Label = 300, Right = 90;
        if (items.Count == 0)
        {
            return "<p class=\"none\">No events.</p>";
        }

        var height = (items.Count * Row) + 8;
        var max = Math.Max(1, items.Max(i => i.Count));
        var svg = new StringBuilder();
        svg.Append(F($"<svg role=\"img\" aria-label=\"{E(title)}\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">"));
        svg.Append(F($"<title>{E(title)}</title>"));
        for (var i = 0; i < items.Count; i++)
        {
            var y = 4 + (i * Row);
            var width = Math.Max(1, (double)items[i].Count / max * (Width - Label - Right));
            var name = items[i].Name.Length > 42 ? items[i].Name[..41] + "…" : items[i].Name;
            svg.Append(F($"<text x=\"{Label - 8}\" y=\"{y + 17}\" text-anchor=\"end\" font-size=\"13\" fill=\"#222\">{E(name)}<title>{E(items[i].Name)}</title></text>"));
            svg.Append(F($"<rect x=\"{Label}\" y=\"{y + 4}\" width=\"{width:F1}\" height=\"{Row - 8}\" fill=\"{Bar}\"/>"));
            svg.Append(F($"<text x=\"{Label + width + 6:F1}\" y=\"{y + 17}\" font-size=\"13\" fill=\"#222\">{Number(items[i].Count)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
