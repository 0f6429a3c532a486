namespace TrailSieve.Core.Detections;

/// <summary>
/// A detection's threshold: per distinct <see cref="GroupBy"/> value, fire once when <see cref="Count"/> hits have
/// eventTimes within one <see cref="Window"/>, then stay silent for that group until the window has passed since the
/// hit that fired.
/// </summary>
public sealed record ThresholdSpec(int Count, TimeSpan Window, IReadOnlyList<string> GroupBy)
{
    /// <summary>The longest window accepted: state is kept for a window plus the lateness allowance.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    /// <summary>The most hits one group can need.</summary>
    public const int MaxCount = 10_000;
}
