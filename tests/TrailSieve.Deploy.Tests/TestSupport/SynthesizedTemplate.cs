using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>One synthesis of the stack (jsii start-up and synthesis take seconds), and its template as JSON to walk.</summary>
public abstract class SynthesizedTemplate
{
    protected SynthesizedTemplate(Dictionary<string, object> context)
    {
        App = new App(new AppProps { Context = context });
        Stack = TrailSieveStack.FromContext(App);
        Template = Template.FromStack(Stack);
        Json = JsonNode.Parse(JsonSerializer.Serialize(Template.ToJSON()))!.AsObject();
    }

    public App App { get; }

    public TrailSieveStack Stack { get; }

    public DeploySettings Settings => Stack.Settings;

    public Template Template { get; }

    public JsonObject Json { get; }

    public IEnumerable<(string Id, JsonObject Resource)> Resources(string type) =>
        Json["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    public JsonObject Resource(string type, string idPrefix)
    {
        var matches = Resources(type).Where(r => r.Id.StartsWith(idPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected one {type} whose id starts with {idPrefix}, found {matches.Count}: {string.Join(", ", Resources(type).Select(r => r.Id))}");
        return matches[0].Resource;
    }

    public static JsonObject Properties(JsonObject resource) => resource["Properties"]!.AsObject();

    /// <summary>The logical id of the only resource of a type whose id starts with a prefix.</summary>
    public string LogicalId(string type, string idPrefix) =>
        Resources(type).Single(r => r.Id.StartsWith(idPrefix, StringComparison.Ordinal)).Id;

    /// <summary>The statements of the IAM policy attached to a role (by the role's logical id prefix).</summary>
    public List<JsonObject> RoleStatements(string roleIdPrefix)
    {
        var roleId = LogicalId("AWS::IAM::Role", roleIdPrefix);
        return [.. Resources("AWS::IAM::Policy")
            .Where(p => Properties(p.Resource)["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => Properties(p.Resource)["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => s!.AsObject())];
    }

    public JsonObject Container(string taskDefinitionIdPrefix) =>
        Properties(Resource("AWS::ECS::TaskDefinition", taskDefinitionIdPrefix))["ContainerDefinitions"]!.AsArray().Single()!.AsObject();

    public Dictionary<string, JsonNode?> Environment(string taskDefinitionIdPrefix) =>
        Container(taskDefinitionIdPrefix)["Environment"]!.AsArray()
            .ToDictionary(e => (string)e!["Name"]!, e => e!["Value"]);
}
