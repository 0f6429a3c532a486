namespace TrailSieve.Core.Detections;

/// <summary>What a Sigma rule says about itself, carried into its findings.</summary>
/// <param name="Id">The rule's <c>id</c> (a UUID in SigmaHQ), or empty.</param>
/// <param name="Title">The rule's <c>title</c>.</param>
/// <param name="Level">The rule's <c>level</c> as written (lower case): informational, low, medium, high or critical.</param>
/// <param name="Tags">The rule's <c>tags</c> (ATT&amp;CK ids such as <c>attack.t1078</c>).</param>
/// <param name="FalsePositives">The rule's <c>falsepositives</c> hints.</param>
/// <param name="Status">The rule's <c>status</c> (stable, test, experimental, ...), or empty.</param>
/// <param name="RuleName">The rule's <c>name</c> (what correlation rules refer to it by, besides its id), or empty.</param>
public sealed record SigmaInfo(string Id, string Title, string Level, IReadOnlyList<string> Tags, IReadOnlyList<string> FalsePositives, string Status, string RuleName = "");

/// <summary>The kinds of Sigma correlation rule evaluated in the stream.</summary>
public enum SigmaCorrelationKind
{
    /// <summary>At least N hits of the referenced rules per group within the timespan.</summary>
    EventCount,

    /// <summary>At least N distinct values of a field among the hits per group within the timespan.</summary>
    ValueCount,

    /// <summary>Every referenced rule hit per group within the timespan.</summary>
    Temporal,
}

/// <summary>A Sigma correlation rule: its kind, the rules it reads (by name or id), the field value_count counts, and whether those rules also raise their own findings.</summary>
public sealed record SigmaCorrelation(SigmaCorrelationKind Kind, IReadOnlyList<string> Rules, string? ValueField, bool Generate);
