using System.CommandLine;
using TrailSieve.Core.Detections;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve validate</c>: checks rules files without processing anything.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Rules files to check.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", """
            Check rules files and detection files (told apart by their top-level 'rules:' or 'detections:' list): exit 0
            when all are valid, 2 with every problem listed (rule or detection, field, reason).

            Examples:
              trailsieve validate rules/default.yaml
              trailsieve validate rules/*.yaml rules/examples/*.yaml rules/detections/*.yaml
            """)
        {
            files,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var valid = true;
            foreach (var file in parse.GetValue(files)!)
            {
                if (IsDetectionFile(file))
                {
                    if (DetectionFiles.TryLoad([file], error) is { } set)
                    {
                        var thresholds = set.Detections.Count(d => d.Threshold is not null);
                        output.WriteLine($"{file}: valid, {set.Detections.Count} detections ({thresholds} with a threshold)");
                    }
                    else
                    {
                        valid = false;
                    }

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

            return valid ? ExitCodes.Success : ExitCodes.UsageOrRules;
        });
        return command;
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
