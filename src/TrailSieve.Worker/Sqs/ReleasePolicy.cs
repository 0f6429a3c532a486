using System.Globalization;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// How soon a message whose object failed is visible again. A failure that trying again cannot cure (a corrupt or
/// non-CloudTrail file, a refused or missing object) is released at once, so poison reaches the DLQ after
/// maxReceiveCount receives within seconds, not after maxReceiveCount visibility timeouts. A retryable one waits by
/// receive count: the n-th receive waits the n-th delay of <see cref="Options.SqsOptions.RetryBackoff"/>, the last
/// delay for every receive after that.
/// </summary>
internal sealed class ReleasePolicy
{
    /// <summary>SQS's largest visibility timeout.</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromHours(12);

    private readonly TimeSpan[] _backoff;

    public ReleasePolicy(IReadOnlyList<TimeSpan> backoff)
    {
        ArgumentNullException.ThrowIfNull(backoff);
        ArgumentOutOfRangeException.ThrowIfZero(backoff.Count);
        _backoff = [.. backoff.Select(d => d < TimeSpan.Zero ? TimeSpan.Zero : d > MaxVisibility ? MaxVisibility : d)];
    }

    public IReadOnlyList<TimeSpan> Backoff => _backoff;

    /// <summary>The visibility to give a message received for the <paramref name="receiveCount"/>-th time that failed with <paramref name="failure"/>.</summary>
    public TimeSpan DelayFor(ObjectOutcome failure, int receiveCount)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (!failure.Retryable)
        {
            return TimeSpan.Zero;
        }

        // A failure that says when a retry can succeed (a claim held until its lease ends) waits at least that long.
        var delay = _backoff[Math.Clamp(receiveCount, 1, _backoff.Length) - 1];
        return failure.RetryAfter > delay ? (failure.RetryAfter > MaxVisibility ? MaxVisibility : failure.RetryAfter) : delay;
    }

    /// <summary>
    /// Parses a comma-separated list of durations (<c>0s,10s,1m,5m</c>; Go or .NET forms); false with the reason when
    /// an entry is not a duration or the list is empty.
    /// </summary>
    public static bool TryParse(string? text, out IReadOnlyList<TimeSpan> backoff, out string? error)
    {
        backoff = [];
        error = null;
        var parts = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            error = "is empty; give one or more durations, e.g. 0s,10s,1m,5m";
            return false;
        }

        var delays = new List<TimeSpan>(parts.Length);
        foreach (var part in parts)
        {
            if (!DurationParser.TryParse(part, out var delay))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"entry '{part}' is not a duration (e.g. 0s, 10s, 1m, 5m or 00:05:00)");
                return false;
            }

            if (delay > MaxVisibility)
            {
                error = $"entry '{part}' is more than SQS's largest visibility timeout (12h)";
                return false;
            }

            delays.Add(delay);
        }

        backoff = delays;
        return true;
    }
}
