using System.CommandLine;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve validate</c>: checks rules files without processing anything.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Rules files to check.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", """
            Check rules files: exit 0 when all are valid, 2 with every problem listed (rule, field, reason).

            Examples:
              trailsieve validate rules/default.yaml
              trailsieve validate rules/*.yaml rules/examples/*.yaml
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
}
