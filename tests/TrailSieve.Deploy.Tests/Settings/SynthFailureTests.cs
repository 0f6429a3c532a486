using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using TrailSieve.Deploy.Settings;
using TrailSieve.Deploy.Tests.TestSupport;

namespace TrailSieve.Deploy.Tests.Settings;

/// <summary>Settings through a real CDK app, as <c>cdk synth -c ...</c> runs it: validation failures and the synthesizer choice.</summary>
[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class SynthFailureTests(DefaultTemplate defaults)
{
    [Fact]
    public void FromContext_AppWithoutSourceBucket_FailsBeforeAnyResourceNamingTheKey()
    {
        var context = StackContexts.Default();
        context.Remove("sourceBucketName");
        var app = new App(new AppProps { Context = context });

        var error = Assert.Throws<InvalidContextException>(() => TrailSieveStack.FromContext(app));

        Assert.Contains("'sourceBucketName'", error.Message, StringComparison.Ordinal);
        Assert.Empty(app.Node.Children);
    }

    [Fact]
    public void FromContext_AppWithCommandLineStrings_ReadsTypedValues()
    {
        // -c values arrive as strings; cdk.json values may be numbers and booleans.
        var context = StackContexts.Default();
        context["maxTasks"] = "7";
        context["fargateSpot"] = "true";
        var app = new App(new AppProps { Context = context });

        var stack = TrailSieveStack.FromContext(app);

        Assert.Equal(7, stack.Settings.MaxTasks);
        Assert.True(stack.Settings.FargateSpot);
    }

    [Fact]
    public void Template_Bootstrapless_NeedsNoCdkBootstrapForPlainCloudFormation()
    {
        var context = StackContexts.Default();
        context["bootstrapless"] = "true";
        var app = new App(new AppProps { Context = context });

        var json = JsonNode.Parse(JsonSerializer.Serialize(Template.FromStack(TrailSieveStack.FromContext(app)).ToJSON()))!;

        Assert.Null(json["Parameters"]?["BootstrapVersion"]);
        Assert.Null(json["Rules"]?["CheckBootstrapVersion"]);
        Assert.NotNull(json["Resources"]);
    }

    [Fact]
    public void Template_Default_ChecksTheBootstrapVersion()
    {
        Assert.NotNull(defaults.Json["Parameters"]?["BootstrapVersion"]);
    }
}
