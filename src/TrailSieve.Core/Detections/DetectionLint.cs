using TrailSieve.Core.Rules.Sigma;

namespace TrailSieve.Core.Detections;

/// <summary>
/// <c>trailsieve validate --strict</c>: the Sigma rules of a set that can never fire or fire on every record on
/// CloudTrail's schema, and their tests that never match (see <see cref="SigmaLint"/>).
/// </summary>
public static class DetectionLint
{
    /// <summary>One line per problem: the source, the rule and what is wrong, in the set's order.</summary>
    public static IReadOnlyList<string> Check(DetectionSet detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var lines = new List<string>();
        for (var i = 0; i < detections.Detections.Count; i++)
        {
            if (detections.Definitions[i].Sigma is not { } expression)
            {
                continue;
            }

            var detection = detections.Detections[i];
            foreach (var finding in SigmaLint.Check(expression))
            {
                lines.Add($"{detection.Source}: sigma rule '{detection.Name}': {finding}");
            }
        }

        return lines;
    }
}
