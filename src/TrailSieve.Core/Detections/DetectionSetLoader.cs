using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Detections;

/// <summary>Loads and validates detection files (a top-level <c>detections:</c> list; YAML or JSON).</summary>
public static class DetectionSetLoader
{
    /// <summary>Whether <paramref name="text"/> is a detection file (its top level has <c>detections:</c>), for commands that take both kinds.</summary>
    public static bool IsDetectionFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RuleFileReader.IsDetectionText(text);
    }

    /// <summary>Reads and validates the detection file at <paramref name="path"/>.</summary>
    /// <exception cref="RuleValidationException">The file is not a valid detection file; every problem is listed.</exception>
    public static DetectionSet LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(File.ReadAllText(path), path);
    }

    /// <summary>Reads several detection files into one set; names must be unique across them.</summary>
    /// <exception cref="RuleValidationException">A file is invalid, or two files use one name.</exception>
    public static DetectionSet LoadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Combine(paths.Select(LoadFile).ToList());
    }

    /// <summary>Validates detection-file text; <paramref name="sourceName"/> prefixes every message.</summary>
    /// <exception cref="RuleValidationException">The text is not a valid detection file; every problem is listed.</exception>
    public static DetectionSet Load(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
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
            return sets[0];
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

        if (errors.Count > 0)
        {
            throw RuleValidationException.Create(string.Join(", ", sets.Where(s => s.Detections.Count > 0).Select(s => s.Detections[0].Source).Distinct()), errors);
        }

        return new DetectionSet(detections, definitions, warnings);
    }
}
