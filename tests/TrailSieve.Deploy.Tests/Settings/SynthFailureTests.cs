using Amazon.CDK;
using TrailSieve.Deploy.Settings;
using TrailSieve.Deploy.Tests.TestSupport;

namespace TrailSieve.Deploy.Tests.Settings;

/// <summary>The same validation through a real CDK app, as <c>cdk synth -c ...</c> runs it.</summary>
[Collection(SharedSynthesis.Name)]
public sealed class SynthFailureTests
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
}
