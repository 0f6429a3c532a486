namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>
/// One <see cref="AwsEndpointFixture"/> for the whole test run: every integration test class is
/// <c>[Collection(AwsCollectionDefinition.Name)]</c> and so shares the endpoint (and runs serially with the others).
/// </summary>
[CollectionDefinition(Name)]
public sealed class AwsCollectionDefinition : ICollectionFixture<AwsEndpointFixture>
{
    public const string Name = "aws";
}
