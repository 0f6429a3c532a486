namespace TrailSieve.Analytics.Ask;

/// <summary>Time phrases: last N units, today, yesterday, this week/month, last month, since/on/before/after DATE, between.</summary>
internal sealed partial class QuestionParser
{
    private bool Time()
    {
        var at = W(0) == "in" && W(1) == "the" ? 2 : W(0) is "over" or "during" or "within" && W(1) == "the" ? 2 : 0;
        if (W(at) is "last" or "past" or "previous")
        {
            var n = Number(W(at + 1));
            var unitAt = at + (n is null ? 1 : 2);
            if (Vocabulary.Units.TryGetValue(W(unitAt), out var unit))
            {
                var span = unit * (n ?? 1);
                return Set(unitAt + 1, $"since {Stamp(_now - span)}", () => Model.From = _now - span);
            }

            if (W(unitAt) == "month" && n is null)
            {
                var first = new DateTime(_now.Year, _now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                return Set(unitAt + 1, $"the previous calendar month, {Stamp(first.AddMonths(-1))} to {Stamp(first)}", () => (Model.From, Model.Until) = (first.AddMonths(-1), first));
            }

            if (n is not null && at == 0 && W(unitAt) is "events" or "records" or "calls" or "entries" or "requests")
            {
                return Set(unitAt + 1, $"the {n} newest", () => Model.Limit = n);
            }

            return false;
        }

        if (W(0) == "today")
        {
            return Set(1, $"since {Stamp(_now.Date)} (today, UTC)", () => Model.From = _now.Date);
        }

        if (W(0) == "yesterday")
        {
            return Set(1, $"from {Stamp(_now.Date.AddDays(-1))} to {Stamp(_now.Date)} (yesterday, UTC)", () => (Model.From, Model.Until) = (_now.Date.AddDays(-1), _now.Date));
        }

        if (W(0) == "this" && W(1) is "week" or "month")
        {
            var start = W(1) == "week" ? _now.Date.AddDays(-(((int)_now.DayOfWeek + 6) % 7)) : new DateTime(_now.Year, _now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            return Set(2, $"since {Stamp(start)}", () => Model.From = start);
        }

        if (W(0) is "since" or "after" or "on" or "before" or "until" && Date(W(1)) is { } day)
        {
            return W(0) switch
            {
                "since" => Set(2, $"since {Stamp(day)}", () => Model.From = day),
                "after" => Set(2, $"since {Stamp(day.AddDays(1))} (after that day)", () => Model.From = day.AddDays(1)),
                "on" => Set(2, $"from {Stamp(day)} to {Stamp(day.AddDays(1))}", () => (Model.From, Model.Until) = (day, day.AddDays(1))),
                _ => Set(2, $"before {Stamp(day)}", () => Model.Until = day),
            };
        }

        if (W(0) is "between" or "from" && Date(W(1)) is { } first2 && W(2) is "and" or "to" or "until" && Date(W(3)) is { } last)
        {
            var (lo, hi) = first2 <= last ? (first2, last) : (last, first2);
            return Set(4, $"from {Stamp(lo)} to {Stamp(hi.AddDays(1))} (both days included)", () => (Model.From, Model.Until) = (lo, hi.AddDays(1)));
        }

        return false;
    }
}
