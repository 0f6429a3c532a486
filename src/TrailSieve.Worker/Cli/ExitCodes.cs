namespace TrailSieve.Worker.Cli;

internal static class ExitCodes
{
    /// <summary>Every input was processed.</summary>
    public const int Success = 0;

    /// <summary>At least one input failed; the others were processed.</summary>
    public const int InputFailed = 1;

    /// <summary>The command line or the rules are wrong; nothing was processed.</summary>
    public const int UsageOrRules = 2;
}
