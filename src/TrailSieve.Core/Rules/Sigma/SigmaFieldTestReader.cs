using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static TrailSieve.Core.Rules.Sigma.SigmaYaml;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>
/// Reads one field test of a Sigma selection (<c>field|modifiers: value or values</c>) into a <see cref="SigmaFieldTest"/>:
/// the path, the modifiers the CloudTrail subset has (an unknown or Windows-only one is an error naming it), and the
/// values compiled for their kind (patterns, regexes, networks, comparisons, field references, exists). Problems go to
/// <c>errors</c>, each naming the rule, the key and the reason, with the line.
/// </summary>
internal sealed class SigmaFieldTestReader(List<string> errors)
{
    private static readonly HashSet<string> s_unsupportedModifiers = new(StringComparer.Ordinal)
    {
        "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash", "expand",
        "minute", "hour", "day", "week", "month", "year",
    };

    /// <summary>The test of one <c>field|modifiers: values</c> entry of a selection, or null after adding why it cannot be read.</summary>
    public SigmaFieldTest? Read(string key, YamlNode value, string selectionWhere, YamlNode keyNode)
    {
        var parts = key.Split('|');
        var field = parts[0];
        var where = $"{selectionWhere}.{key}";
        var location = At(keyNode);
        var label = LabelOf(where);
        if (field.Length == 0)
        {
            errors.Add($"{where}: a field name is required before the modifiers {location}");
            return null;
        }

        var segments = FieldPath.TryParse(field, out var pathProblem);
        if (segments is null || segments.Any(s => s.IsArray))
        {
            errors.Add($"{where}: invalid field path '{field}': {pathProblem ?? "Sigma paths have no [] (a path goes through arrays by itself)"} {location}");
            return null;
        }

        var modifiers = new List<string>();
        for (var i = 1; i < parts.Length; i++)
        {
            var modifier = parts[i];
            if (s_unsupportedModifiers.Contains(modifier))
            {
                errors.Add($"{where}: modifier '{modifier}' is not supported (it encodes values for Windows or time-part logs, not for CloudTrail's JSON) {location}");
                return null;
            }

            if (modifier is not ("contains" or "startswith" or "endswith" or "all" or "re" or "i" or "m" or "s" or "cidr" or "fieldref" or "exists" or "cased" or "gt" or "gte" or "lt" or "lte"))
            {
                errors.Add($"{where}: unknown modifier '{modifier}' {location}");
                return null;
            }

            if (modifiers.Contains(modifier))
            {
                errors.Add($"{where}: modifier '{modifier}' is given twice {location}");
                return null;
            }

            modifiers.Add(modifier);
        }

        var values = new List<YamlScalarNode?>();
        switch (value)
        {
            case YamlScalarNode scalar:
                values.Add(IsNull(scalar) ? null : scalar);
                break;
            case YamlSequenceNode list when list.Children.Count > 0 && list.Children.All(c => c is YamlScalarNode):
                values.AddRange(list.Children.Cast<YamlScalarNode>().Select(s => IsNull(s) ? null : s));
                break;
            default:
                errors.Add($"{where}: expected a value or a list of values {At(value)}");
                return null;
        }

        var all = modifiers.Remove("all");
        var cased = modifiers.Remove("cased");
        var texts = values.Select(v => v?.Value ?? string.Empty).ToList();
        var hasNull = values.Any(v => v is null);
        string? Only(params string[] allowed) => modifiers.FirstOrDefault(m => !allowed.Contains(m));
        bool Fail(string reason)
        {
            errors.Add($"{where}: {reason} {location}");
            return false;
        }

        if (hasNull && (all || modifiers.Count > 0))
        {
            Fail("null is a value of its own: it takes no modifier and no 'all'");
            return null;
        }

        if (modifiers.Contains("exists"))
        {
            var other = Only("exists");
            if (other is not null || all || cased)
            {
                Fail($"'exists' stands alone (found '{other ?? (all ? "all" : "cased")}')");
                return null;
            }

            if (values.Count != 1 || values[0] is not { } flag || !bool.TryParse(flag.Value, out var exists))
            {
                Fail("'exists' takes true or false");
                return null;
            }

            return new SigmaFieldTest { Kind = SigmaTestKind.Exists, Label = label, Field = field, Segments = segments, ExistsValue = exists };
        }

        if (modifiers.Contains("cidr"))
        {
            var other = Only("cidr");
            if (other is not null || cased)
            {
                Fail($"'cidr' stands alone (found '{other ?? "cased"}')");
                return null;
            }

            var cidrs = new List<CidrRange>();
            foreach (var text in texts)
            {
                if (CidrRange.TryParse(text, out var problem) is not { } range)
                {
                    Fail($"invalid network '{text}': {problem}");
                    return null;
                }

                cidrs.Add(range);
            }

            return new SigmaFieldTest { Kind = SigmaTestKind.Cidr, Label = label, Field = field, Segments = segments, Cidrs = [.. cidrs], All = all };
        }

        if (modifiers.Contains("re"))
        {
            var other = Only("re", "i", "m", "s");
            if (other is not null || cased)
            {
                Fail($"'re' takes only the flags i, m and s (found '{other ?? "cased"}'; a regex is case-sensitive unless re|i)");
                return null;
            }

            var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant
                | (modifiers.Contains("i") ? RegexOptions.IgnoreCase : RegexOptions.None)
                | (modifiers.Contains("m") ? RegexOptions.Multiline : RegexOptions.None)
                | (modifiers.Contains("s") ? RegexOptions.Singleline : RegexOptions.None);
            var regexes = new List<Regex>();
            foreach (var text in texts)
            {
                if (CompileRegex(text, options, where, location) is not { } regex)
                {
                    return null;
                }

                regexes.Add(regex);
            }

            // re|i compares ignoring case, which a byte search cannot: those regexes always run.
            byte[]?[] literals = [.. texts.Select(t => (options & RegexOptions.IgnoreCase) != 0 ? null : RegexLiteral.Required(t))];
            return new SigmaFieldTest { Kind = SigmaTestKind.Regex, Label = label, Field = field, Segments = segments, Regexes = [.. regexes], RegexLiterals = literals, All = all };
        }

        if (modifiers.Any(m => m is "i" or "m" or "s"))
        {
            Fail("the flags i, m and s belong to 're'");
            return null;
        }

        if (modifiers.FirstOrDefault(m => m is "gt" or "gte" or "lt" or "lte") is { } op)
        {
            var other = Only(op);
            if (other is not null || cased)
            {
                Fail($"'{op}' stands alone (found '{other ?? "cased"}')");
                return null;
            }

            var comparisons = new List<(string, double)>();
            foreach (var text in texts)
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    Fail($"'{op}' needs a number, not '{text}'");
                    return null;
                }

                comparisons.Add((op, number));
            }

            return new SigmaFieldTest { Kind = SigmaTestKind.Compare, Label = label, Field = field, Segments = segments, Comparisons = [.. comparisons], All = all };
        }

        var affixes = modifiers.Where(m => m is "contains" or "startswith" or "endswith").ToList();
        if (affixes.Count > 1)
        {
            Fail($"'{affixes[0]}' and '{affixes[1]}' cannot be combined");
            return null;
        }

        var affix = affixes.Count == 1 ? affixes[0] : null;
        if (modifiers.Remove("fieldref"))
        {
            var references = new List<FieldPath.Segment[]>();
            foreach (var text in texts)
            {
                var reference = FieldPath.TryParse(text, out var problem);
                if (reference is null || reference.Any(s => s.IsArray))
                {
                    Fail($"'fieldref' needs a field path, not '{text}': {problem ?? "no []"}");
                    return null;
                }

                references.Add(reference);
            }

            return new SigmaFieldTest
            {
                Kind = SigmaTestKind.FieldRef,
                Label = label,
                Field = field,
                Segments = segments,
                RefFields = [.. references],
                All = all,
                Cased = cased,
                RefMode = affix switch
                {
                    "contains" => SigmaRefMode.Contains,
                    "startswith" => SigmaRefMode.StartsWith,
                    "endswith" => SigmaRefMode.EndsWith,
                    _ => SigmaRefMode.Equals,
                },
            };
        }

        var patterns = new List<SigmaPattern>();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                continue;
            }

            patterns.Add(SigmaPattern.Create(texts[i], leading: affix is "contains" or "endswith", trailing: affix is "contains" or "startswith", cased));
        }

        return new SigmaFieldTest { Kind = SigmaTestKind.Patterns, Label = label, Field = field, Segments = segments, Patterns = [.. patterns], MatchesNull = hasNull, All = all, Cased = cased };
    }

    /// <summary>The part of a message's prefix after the rule: <c>detection.selection.eventName</c>.</summary>
    public static string LabelOf(string where)
    {
        var at = where.IndexOf(": detection.", StringComparison.Ordinal);
        return at < 0 ? where : where[(at + 2)..];
    }

    private Regex? CompileRegex(string pattern, RegexOptions options, string where, string location)
    {
        if (pattern.Length == 0 || pattern.Length > RuleSetCompiler.MaxRegexLength)
        {
            errors.Add($"{where}: the regex must have 1 to {RuleSetCompiler.MaxRegexLength} characters {location}");
            return null;
        }

        try
        {
            return new Regex(pattern, options);
        }
        catch (NotSupportedException ex)
        {
            errors.Add($"{where}: the regex is not supported by the linear-time engine (as in RE2: no lookahead/lookbehind, backreferences, atomic groups or conditionals): {ex.Message} {location}");
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{where}: invalid regex: {ex.Message} {location}");
        }

        return null;
    }
}
