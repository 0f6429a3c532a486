using TrailSieve.Core.Rules;

namespace TrailSieve.Worker.Cli;

/// <summary>Loads a rules file for a command, printing warnings, or every problem when it is invalid.</summary>
internal static class RuleFiles
{
    public static CompiledRuleSet? TryLoad(string path, TextWriter error)
    {
        try
        {
            var rules = RuleSetLoader.LoadFile(path);
            foreach (var warning in rules.Warnings)
            {
                error.WriteLine($"warning: {warning}");
            }

            return rules;
        }
        catch (RuleValidationException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
        catch (IOException ex)
        {
            error.WriteLine($"{path}: {ex.Message}");
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"{path}: {ex.Message}");
            return null;
        }
    }
}
