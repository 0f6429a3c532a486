namespace TrailSieve.Core.Rules;

/// <summary>Loads and compiles rule files (YAML, or JSON, which YAML parses too).</summary>
public static class RuleSetLoader
{
    /// <summary>Reads and compiles the rule file at <paramref name="path"/>.</summary>
    /// <exception cref="RuleValidationException">The file is not a valid rule file; every problem is listed.</exception>
    public static CompiledRuleSet LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(File.ReadAllText(path), path);
    }

    /// <summary>Compiles rule-file text; <paramref name="sourceName"/> prefixes every message.</summary>
    /// <exception cref="RuleValidationException">The text is not a valid rule file; every problem is listed.</exception>
    public static CompiledRuleSet Load(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var errors = new List<string>();
        var warnings = new List<string>();
        var definition = new RuleFileReader(errors, warnings).Read(text);
        var prefixed = warnings.ConvertAll(warning => $"{sourceName}: {warning}");
        var compiled = definition is null ? null : RuleSetCompiler.Compile(definition, errors, prefixed);
        if (compiled is null || errors.Count > 0)
        {
            throw RuleValidationException.Create(sourceName, errors);
        }

        return compiled;
    }
}
