using System.CommandLine;
using TrailSieve.Core.Detections;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve validate</c>: checks rules, detection and Sigma files without processing anything.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Rules files, detection files, Sigma rule files or folders of Sigma rules to check.", Arity = ArgumentArity.OneOrMore };
        var strict = new Option<bool>("--strict")
        {
            Description = "Also lint the Sigma rules against CloudTrail's schema: a rule that can never fire or fires on every record, or a test that never matches, is a problem (exit 2).",
        };
        var command = new Command("validate", """
            Check rules files, detection files and Sigma rules (told apart by their content: a top-level 'rules:' or
            'detections:' list, or Sigma's 'detection:' + 'logsource:'; a folder is read as detections): exit 0 when
            all are valid, 2 with every problem listed (rule or detection, field, reason). The detection files and
            folders are checked as one set, as --detections loads them, so a Sigma correlation may name a rule of
            another file. Sigma rules for another logsource than aws/cloudtrail are skipped with a warning.

            Examples:
              trailsieve validate rules/default.yaml
              trailsieve validate rules/*.yaml rules/examples/*.yaml rules/detections/*.yaml
              trailsieve validate --strict ~/sigma/rules/cloud/aws/cloudtrail/
            """)
        {
            files,
            strict,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var valid = true;
            var detectionPaths = new List<string>();
            foreach (var file in parse.GetValue(files)!)
            {
                if (Directory.Exists(file) || IsDetectionFile(file))
                {
                    detectionPaths.Add(file);
                    continue;
                }

                var rules = RuleFiles.TryLoad(file, error);
                if (rules is null)
                {
                    valid = false;
                    continue;
                }

                output.WriteLine($"{file}: valid, {rules.RuleNames.Count} rules, default action {rules.DefaultAction.ToString().ToLowerInvariant()}");
            }

            if (detectionPaths.Count > 0)
            {
                valid &= ValidateDetections(detectionPaths, parse.GetValue(strict), output, error);
            }

            return valid ? ExitCodes.Success : ExitCodes.UsageOrRules;
        });
        return command;
    }

    private static bool ValidateDetections(List<string> paths, bool strict, TextWriter output, TextWriter error)
    {
        if (DetectionFiles.TryLoad(paths, error) is not { } set)
        {
            return false;
        }

        foreach (var path in paths)
        {
            var inside = Directory.Exists(path)
                ? set.Detections.Where(d => d.Source.StartsWith(Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList()
                : set.Detections.Where(d => d.Source == path).ToList();
            output.WriteLine($"{path}: valid, {Describe(inside)}");
        }

        if (!strict)
        {
            return true;
        }

        var problems = DetectionLint.Check(set);
        foreach (var problem in problems)
        {
            error.WriteLine($"lint: {problem}");
        }

        output.WriteLine(problems.Count == 0 ? "lint: no problems" : $"lint: {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}");
        return problems.Count == 0;
    }

    private static string Describe(List<Detection> detections)
    {
        var sigma = detections.Count(d => d.Sigma is not null && d.Correlation is null);
        var correlations = detections.Count(d => d.Correlation is not null);
        var plain = detections.Count - sigma - correlations;
        var thresholds = detections.Count(d => d.Threshold is not null && d.Correlation is null);
        var parts = new List<string>();
        if (plain > 0 || (sigma == 0 && correlations == 0))
        {
            parts.Add($"{plain} detections ({thresholds} with a threshold)");
        }

        if (sigma > 0)
        {
            parts.Add($"{sigma} Sigma rules");
        }

        if (correlations > 0)
        {
            parts.Add($"{correlations} Sigma correlations");
        }

        return string.Join(", ", parts);
    }

    private static bool IsDetectionFile(string path)
    {
        try
        {
            return DetectionSetLoader.IsDetectionFile(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The rules loader reports the file's problem.
            return false;
        }
    }
}
