using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>Reading the YAML of Sigma rules: a mapping's key, text, null and list values, and where a node is.</summary>
internal static class SigmaYaml
{
    public static List<string> Strings(YamlMappingNode map, string key, string where, List<string> errors)
    {
        switch (Node(map, key))
        {
            case null:
                return [];
            case YamlScalarNode scalar when IsNull(scalar):
                return [];
            case YamlScalarNode scalar:
                return [scalar.Value ?? string.Empty];
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                return [.. list.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? string.Empty)];
            case { } other:
                errors.Add($"{where}: {key}: expected a list of values {At(other)}");
                return [];
        }
    }

    public static YamlNode? Node(YamlMappingNode map, string key)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            if (KeyOf(keyNode) == key)
            {
                return value;
            }
        }

        return null;
    }

    public static string? Text(YamlMappingNode map, string key) =>
        Node(map, key) is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string KeyOf(YamlNode key) => key is YamlScalarNode { Value: { } text } ? text : key.ToString();

    public static string At(YamlNode node) => RuleFileReader.At(node);
}
