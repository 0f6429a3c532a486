namespace TrailSieve.Worker.Cli;

internal static class ExitCodes
{
    /// <summary>Every input was processed.</summary>
    public const int Success = 0;

    /// <summary>At least one input failed; the others were processed.</summary>
    public const int InputFailed = 1;

    /// <summary>The command line or the rules are wrong; nothing was processed.</summary>
    public const int UsageOrRules = 2;

    /// <summary>An AWS resource the command needs (bucket listing, queue, checkpoint) cannot be used.</summary>
    public const int Unavailable = 3;

    /// <summary>
    /// backfill: the bucket, prefix and filters match no object at all (almost always a typo). A rerun that finds
    /// everything already done per its checkpoint is a success, not this.
    /// </summary>
    public const int NothingFound = 4;

    /// <summary>Stopped early by SIGINT or SIGTERM after finishing what was in flight (backfill: resume from the checkpoint).</summary>
    public const int Interrupted = 130;
}
