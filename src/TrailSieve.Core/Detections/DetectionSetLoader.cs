using TrailSieve.Core.Rules;
using TrailSieve.Core.Rules.Sigma;

namespace TrailSieve.Core.Detections;

/// <summary>
/// Loads and validates detection files: the rule syntax's (a top-level <c>detections:</c> list; YAML or JSON) and
/// Sigma rules (documents with <c>detection:</c> + <c>logsource:</c>, or <c>correlation:</c>), told apart by their
/// content, and folders of either.
/// </summary>
public static class DetectionSetLoader
{
    /// <summary>Whether <paramref name="text"/> is a detection file (its top level has <c>detections:</c>) or Sigma rules, for commands that take both kinds.</summary>
    public static bool IsDetectionFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RuleFileReader.IsDetectionText(text) || SigmaRuleReader.IsSigmaText(text);
    }

    /// <summary>Whether <paramref name="text"/> holds Sigma rules (some document has <c>detection:</c> and <c>logsource:</c>, or <c>correlation:</c>).</summary>
    public static bool IsSigma(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SigmaRuleReader.IsSigmaText(text);
    }

    /// <summary>
    /// The files <paramref name="paths"/> name: a file as itself, a folder as every <c>.yml</c> and <c>.yaml</c> file
    /// under it (recursively, in ordinal path order).
    /// </summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>Reads and validates the detection file, or every rule file of the folder, at <paramref name="path"/>.</summary>
    /// <exception cref="RuleValidationException">The file is not a valid detection file; every problem is listed.</exception>
    public static DetectionSet LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return LoadFiles([path]);
    }

    /// <summary>Reads several detection files and folders into one set; names must be unique across them, and correlations may refer to rules of any of them.</summary>
    /// <exception cref="RuleValidationException">A file is invalid, or two files use one name.</exception>
    public static DetectionSet LoadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return LoadTexts(ExpandPaths(paths).Select(path => (File.ReadAllText(path), path)));
    }

    /// <summary>Validates several texts (each with the name its messages start with) into one set, as <see cref="LoadFiles"/> does files.</summary>
    /// <exception cref="RuleValidationException">A text is invalid, or two use one name.</exception>
    public static DetectionSet LoadTexts(IEnumerable<(string Text, string SourceName)> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var sets = texts.Select(t => LoadUnresolved(t.Text, t.SourceName)).ToList();
        if (sets.Count == 0)
        {
            return DetectionSet.Empty;
        }

        return Combine(sets);
    }

    /// <summary>Validates detection-file or Sigma text; <paramref name="sourceName"/> prefixes every message.</summary>
    /// <exception cref="RuleValidationException">The text is not a valid detection file; every problem is listed.</exception>
    public static DetectionSet Load(string text, string sourceName) => Resolved(LoadUnresolved(text, sourceName), sourceName);

    private static DetectionSet Resolved(DetectionSet set, string sourceName)
    {
        var errors = new List<string>();
        var resolved = set.Resolve(errors);
        if (errors.Count > 0)
        {
            throw RuleValidationException.Create(sourceName, errors);
        }

        return resolved;
    }

    private static DetectionSet LoadUnresolved(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (SigmaRuleReader.IsSigmaText(text))
        {
            return LoadSigma(text, sourceName);
        }

        var errors = new List<string>();
        var warnings = new List<string>();
        var definition = new RuleFileReader(errors, warnings, "detections").Read(text);
        var detections = definition is null ? [] : RuleSetCompiler.ValidateDetections(definition.Rules, sourceName, errors);
        if (definition is null || errors.Count > 0)
        {
            throw RuleValidationException.Create(sourceName, errors);
        }

        return new DetectionSet(detections, definition.Rules, warnings.ConvertAll(warning => $"{sourceName}: {warning}"));
    }

    /// <summary>One set from several, in order.</summary>
    /// <exception cref="RuleValidationException">Two sets use one detection name.</exception>
    public static DetectionSet Combine(IReadOnlyList<DetectionSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 1)
        {
            return Resolved(sets[0], sets[0].Detections.Count > 0 ? sets[0].Detections[0].Source : "detections");
        }

        var detections = new List<Detection>();
        var definitions = new List<RuleDefinition>();
        var warnings = new List<string>();
        var errors = new List<string>();
        var seen = new Dictionary<string, Detection>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            for (var i = 0; i < set.Detections.Count; i++)
            {
                var detection = set.Detections[i];
                if (!seen.TryAdd(detection.Name, detection))
                {
                    errors.Add($"detection '{detection.Name}' of {detection.Source} has the name of one in {seen[detection.Name].Source}; names must be unique across detection files");
                    continue;
                }

                detections.Add(detection);
                definitions.Add(set.Definitions[i]);
            }

            warnings.AddRange(set.Warnings);
        }

        var sources = string.Join(", ", sets.Where(s => s.Detections.Count > 0).Select(s => s.Detections[0].Source).Distinct());
        if (errors.Count > 0)
        {
            throw RuleValidationException.Create(sources, errors);
        }

        return Resolved(new DetectionSet(detections, definitions, warnings), sources);
    }

    private static DetectionSet LoadSigma(string text, string sourceName)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var (rules, correlations) = new SigmaRuleReader(errors, warnings).Read(text);
        if (errors.Count > 0)
        {
            throw RuleValidationException.Create(sourceName, errors);
        }

        var detections = new List<Detection>();
        var definitions = new List<RuleDefinition>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!seen.TryAdd(rule.Info.Title, rule.Location))
            {
                errors.Add($"sigma rule '{rule.Info.Title}': title: used by another rule of this file {seen[rule.Info.Title]}; titles name findings and must be unique {rule.Location}");
            }

            detections.Add(new Detection(rule.Info.Title, SigmaRuleReader.LevelToSeverity(rule.Info.Level) ?? Severity.Medium, rule.Description, null, sourceName, rule.Info));
            definitions.Add(new RuleDefinition { Index = definitions.Count, Location = rule.Location, ListName = "sigma", Name = rule.Info.Title, Sigma = rule.Expression, Matches = [] });
        }

        foreach (var correlation in correlations)
        {
            if (!seen.TryAdd(correlation.Info.Title, correlation.Location))
            {
                errors.Add($"sigma rule '{correlation.Info.Title}': title: used by another rule of this file {seen[correlation.Info.Title]}; titles name findings and must be unique {correlation.Location}");
            }

            detections.Add(new Detection(correlation.Info.Title, SigmaRuleReader.LevelToSeverity(correlation.Info.Level) ?? Severity.Medium, correlation.Description, correlation.Threshold, sourceName, correlation.Info, correlation.Correlation));

            // A correlation is fed by its rules' hits (DetectionEngine), never evaluated on a record itself.
            definitions.Add(new RuleDefinition { Index = definitions.Count, Location = correlation.Location, ListName = "sigma", Name = correlation.Info.Title, Enabled = false, Matches = [] });
        }

        if (errors.Count > 0)
        {
            throw RuleValidationException.Create(sourceName, errors);
        }

        return new DetectionSet(detections, definitions, warnings.ConvertAll(warning => $"{sourceName}: {warning}"));
    }
}
