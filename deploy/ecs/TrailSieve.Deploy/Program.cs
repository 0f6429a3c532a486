using Amazon.CDK;
using TrailSieve.Deploy;
using TrailSieve.Deploy.Settings;

// `cdk synth` runs this (cdk.json): settings come from `-c key=value` context; see deploy/ecs/README.md.
var app = new App();
try
{
    _ = TrailSieveStack.FromContext(app);
}
catch (InvalidContextException ex)
{
    await Console.Error.WriteLineAsync("trailsieve deploy: " + ex.Message).ConfigureAwait(false);
    return 2;
}

app.Synth();
return 0;
