namespace TrailSieve.Worker.Pipeline;

internal enum ObjectStatus
{
    /// <summary>Every kept record is in a committed output object (or none was kept).</summary>
    Succeeded,

    /// <summary>Deliberately not filtered: a CloudTrail digest file.</summary>
    Skipped,

    /// <summary>Not readable; no output object holds any of its records.</summary>
    Failed,
}
