using System.Text.Json;
using System.Text.Json.Nodes;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.Ocsf;

/// <summary>
/// The OCSF 1.1.0 schema subset in schema-1.1.0/ (see its README), resolved as the OCSF server does for what these
/// tests need: a class's or object's attributes through <c>extends</c> and <c>$include</c> (profiles other than the
/// applied <c>cloud</c> one are left out), requirements overridden by the most derived definition, enums merged, and
/// each attribute's type and array-ness from the dictionary. <see cref="Validate"/> checks an event against it.
/// </summary>
internal sealed class OcsfSchemaSubset
{
    private static readonly Lazy<OcsfSchemaSubset> s_instance = new(() => new OcsfSchemaSubset(Path.Combine(RepoPaths.Root, "tests", "TrailSieve.Core.Tests", "Ocsf", "schema-1.1.0")));

    private static readonly Dictionary<string, string> s_classFiles = new(StringComparer.Ordinal)
    {
        ["base_event"] = "events/base_event.json",
        ["application"] = "events/application/application.json",
        ["api_activity"] = "events/application/api.json",
        ["iam"] = "events/iam/iam.json",
        ["authentication"] = "events/iam/authentication.json",
        ["account_change"] = "events/iam/account_change.json",
    };

    private readonly string _root;
    private readonly JsonObject _dictionary;

    private OcsfSchemaSubset(string root)
    {
        _root = root;
        _dictionary = Read("dictionary.json")["attributes"]!.AsObject();
    }

    public static OcsfSchemaSubset Instance => s_instance.Value;

    /// <summary>The class names TrailSieve writes, by class_uid.</summary>
    public static IReadOnlyDictionary<int, string> ClassNames { get; } = new Dictionary<int, string>
    {
        [6003] = "api_activity",
        [3002] = "authentication",
        [3001] = "account_change",
    };

    /// <summary>The uid of a class file (category uid × 1000 + the class's uid), from categories.json.</summary>
    public int ClassUid(string className)
    {
        var file = Read(s_classFiles[className]);
        var category = Category(className);
        var categoryUid = Read("categories.json")["attributes"]![category]!["uid"]!.GetValue<int>();
        return (categoryUid * 1000) + file["uid"]!.GetValue<int>();
    }

    public int CategoryUid(string className) => Read("categories.json")["attributes"]![Category(className)]!["uid"]!.GetValue<int>();

    /// <summary>A class's attributes, resolved.</summary>
    public Dictionary<string, AttributeSpec> ClassAttributes(string className) => Resolve(s_classFiles[className], name => s_classFiles[name]);

    /// <summary>An object's attributes, resolved.</summary>
    public Dictionary<string, AttributeSpec> ObjectAttributes(string objectName) => Resolve($"objects/{objectName}.json", name => $"objects/{name}.json");

    /// <summary>Every way <paramref name="ocsf"/> departs from its class (named by class_uid); empty when it conforms.</summary>
    public List<string> Validate(JsonElement ocsf)
    {
        var problems = new List<string>();
        if (!ocsf.TryGetProperty("class_uid", out var uid) || !ClassNames.TryGetValue(uid.GetInt32(), out var className))
        {
            problems.Add("class_uid is missing or not a class TrailSieve writes");
            return problems;
        }

        ValidateObject(ocsf, ClassAttributes(className), className, problems);
        if (ocsf.GetProperty("category_uid").GetInt32() != CategoryUid(className))
        {
            problems.Add($"category_uid {ocsf.GetProperty("category_uid")} is not {className}'s category {CategoryUid(className)}");
        }

        if (uid.GetInt32() != ClassUid(className))
        {
            problems.Add($"class_uid {uid} is not {className}'s {ClassUid(className)}");
        }

        var typeUid = ocsf.GetProperty("type_uid").GetInt64();
        if (typeUid != (uid.GetInt32() * 100L) + ocsf.GetProperty("activity_id").GetInt32())
        {
            problems.Add($"type_uid {typeUid} is not class_uid * 100 + activity_id");
        }

        return problems;
    }

    private void ValidateObject(JsonElement element, Dictionary<string, AttributeSpec> attributes, string path, List<string> problems)
    {
        foreach (var (name, spec) in attributes)
        {
            if (spec.Requirement == "required" && (!element.TryGetProperty(name, out var present) || present.ValueKind == JsonValueKind.Null))
            {
                problems.Add($"{path}.{name} is required but missing");
            }
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (!attributes.TryGetValue(property.Name, out var spec))
            {
                problems.Add($"{path}.{property.Name} is not an attribute of {path}");
                continue;
            }

            var (type, isArray) = TypeOf(property.Name);
            if (isArray)
            {
                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{path}.{property.Name} should be an array of {type}, is {property.Value.ValueKind}");
                    continue;
                }

                foreach (var item in property.Value.EnumerateArray())
                {
                    ValidateValue(item, type, spec, $"{path}.{property.Name}[]", problems);
                }
            }
            else
            {
                ValidateValue(property.Value, type, spec, $"{path}.{property.Name}", problems);
            }
        }
    }

    private void ValidateValue(JsonElement value, string type, AttributeSpec spec, string path, List<string> problems)
    {
        var ok = type switch
        {
            "integer_t" or "long_t" or "timestamp_t" or "port_t" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "float_t" => value.ValueKind == JsonValueKind.Number,
            "boolean_t" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "json_t" => true,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ when type.EndsWith("_t", StringComparison.Ordinal) => value.ValueKind == JsonValueKind.String,
            _ => value.ValueKind == JsonValueKind.Object,
        };
        if (!ok)
        {
            problems.Add($"{path} should be {type}, is {value.ValueKind} ({value.GetRawText()})");
            return;
        }

        // class_uid, category_uid and type_uid are enumerated by the class files themselves (checked in Validate).
        if (spec.Enum is { Count: > 0 } values && spec.Name is not ("class_uid" or "category_uid" or "type_uid") && !values.Contains(value.GetRawText().Trim('"')))
        {
            problems.Add($"{path} {value.GetRawText()} is not one of its enum values {string.Join(",", values)}");
        }

        if (!type.EndsWith("_t", StringComparison.Ordinal) && type != "object")
        {
            ValidateObject(value, ObjectAttributes(type), path, problems);
        }
    }

    private (string Type, bool IsArray) TypeOf(string attribute)
    {
        var entry = _dictionary[attribute] ?? throw new InvalidOperationException($"attribute {attribute} is not in the dictionary subset");
        return (entry["type"]!.GetValue<string>(), entry["is_array"]?.GetValue<bool>() == true);
    }

    private Dictionary<string, AttributeSpec> Resolve(string file, Func<string, string> fileOf)
    {
        var json = Read(file);
        var attributes = json["extends"]?.GetValue<string>() is { } parent
            ? Resolve(fileOf(parent), fileOf)
            : new Dictionary<string, AttributeSpec>(StringComparer.Ordinal);
        var own = json["attributes"]?.AsObject() ?? [];
        if (own["$include"] is JsonArray includes)
        {
            foreach (var include in includes.Select(i => i!.GetValue<string>()))
            {
                // Profiles apply only when an event says so: TrailSieve's say "cloud" (metadata.profiles).
                if (include.StartsWith("profiles/", StringComparison.Ordinal) && include != "profiles/cloud.json")
                {
                    continue;
                }

                Merge(attributes, Read(include)["attributes"]!.AsObject());
            }
        }

        Merge(attributes, own);
        return attributes;
    }

    private void Merge(Dictionary<string, AttributeSpec> attributes, JsonObject defined)
    {
        foreach (var (name, node) in defined)
        {
            if (name == "$include")
            {
                continue;
            }

            attributes.TryGetValue(name, out var inherited);
            var requirement = node?["requirement"]?.GetValue<string>() ?? inherited?.Requirement ?? _dictionary[name]?["requirement"]?.GetValue<string>() ?? "optional";
            var values = new HashSet<string>(inherited?.Enum ?? new HashSet<string>(), StringComparer.Ordinal);
            AddEnum(values, _dictionary[name]?["enum"]);
            AddEnum(values, node?["enum"]);
            attributes[name] = new AttributeSpec(name, requirement, values);
        }
    }

    private static void AddEnum(HashSet<string> values, JsonNode? enumeration)
    {
        if (enumeration is JsonObject entries)
        {
            foreach (var (key, _) in entries)
            {
                values.Add(key);
            }
        }
    }

    private static string Category(string className) => className switch
    {
        "api_activity" => "application",
        _ => "iam",
    };

    private JsonObject Read(string relative) => JsonNode.Parse(File.ReadAllText(Path.Combine(_root, relative)))!.AsObject();
}

/// <summary>One attribute of a class or object: its requirement and its enum values (empty when it has none).</summary>
internal sealed record AttributeSpec(string Name, string Requirement, IReadOnlySet<string> Enum);
