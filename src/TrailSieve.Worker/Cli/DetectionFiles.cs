using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;

namespace TrailSieve.Worker.Cli;

/// <summary>Loads a command's <c>--detections</c> files into one set, printing warnings, or every problem when invalid.</summary>
internal static class DetectionFiles
{
    public static DetectionSet? TryLoad(IReadOnlyList<string> paths, TextWriter error, SigmaLevel sigmaMinimumLevel = SigmaLevel.Informational)
    {
        if (paths.Count == 0)
        {
            return DetectionSet.Empty;
        }

        try
        {
            var set = DetectionSetLoader.LoadFiles(paths).WithSigmaMinimumLevel(sigmaMinimumLevel);
            foreach (var warning in set.Warnings)
            {
                error.WriteLine($"warning: {warning}");
            }

            return set;
        }
        catch (RuleValidationException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine(ex.Message);
            return null;
        }
    }
}
