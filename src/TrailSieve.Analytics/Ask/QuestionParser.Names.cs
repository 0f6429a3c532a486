namespace TrailSieve.Analytics.Ask;

/// <summary>Names: service:Action and API names, services and their aliases, and row limits.</summary>
internal sealed partial class QuestionParser
{
    private bool Names()
    {
        var original = _at < _original.Count ? _original[_at] : string.Empty;
        if (ServiceAction().Match(original) is { Success: true } pair && Vocabulary.Services.TryGetValue(pair.Groups[1].Value.ToLowerInvariant(), out var prefix))
        {
            var action = pair.Groups[2].Value;
            return Set(1, $"{prefix}.amazonaws.com {action}", () =>
            {
                Model.Services.Add(prefix);
                Model.Events.Add(action);
            });
        }

        if (W(0) is "event" or "eventname" or "action" or "named" or "called" or "api" && _at + 1 < _original.Count && ApiName().IsMatch(_original[_at + 1]))
        {
            var name = _original[_at + 1];
            return Set(2, $"eventName {name}", () => Model.Events.Add(name));
        }

        if (ApiName().IsMatch(original) && !Vocabulary.IsKnown(W(0)))
        {
            return Set(1, $"eventName {original}", () => Model.Events.Add(original));
        }

        return false;
    }

    private bool Service()
    {
        if (Vocabulary.ServicePairs.TryGetValue(W(0) + " " + W(1), out var two))
        {
            return Set(2, $"eventSource {two}.amazonaws.com", () => Model.Services.Add(two));
        }

        if (W(0).EndsWith(".amazonaws.com", StringComparison.Ordinal) && W(0).Length > ".amazonaws.com".Length)
        {
            var source = W(0)[..^".amazonaws.com".Length];
            return Set(1, $"eventSource {W(0)}", () => Model.Services.Add(source));
        }

        if (Vocabulary.Services.TryGetValue(W(0), out var one))
        {
            var length = W(1) is "service" or "api" or "apis" ? 2 : 1;
            return Set(length, $"eventSource {one}.amazonaws.com", () => Model.Services.Add(one));
        }

        return false;
    }

    private bool Limit()
    {
        if (W(0) is "limit" or "first" or "latest" or "newest" or "recent" && Number(W(1)) is { } n)
        {
            return Set(2, $"at most {n} rows", () => Model.Limit = n);
        }

        return false;
    }
}
