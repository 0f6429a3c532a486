namespace TrailSieve.Core.Detections;

/// <summary>What a threshold hit did.</summary>
public enum ThresholdOutcome
{
    /// <summary>Counted in its group's window; the count is not reached yet.</summary>
    Counted,

    /// <summary>This hit brought a window to the count: the detection fires (once) for the group.</summary>
    Fired,

    /// <summary>Counted and completing a window, but the group fired less than a window away from it (by eventTime), so it stays silent.</summary>
    Suppressed,

    /// <summary>Older than its group's watermark (the group's latest eventTime minus the lateness allowance): dropped and counted.</summary>
    Late,

    /// <summary>The group already holds a hit with this eventID (a redelivered or duplicated record): ignored.</summary>
    Duplicate,
}
