namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>Every synthesis test shares the two stacks: each is synthesised once per test run, not once per class.</summary>
[CollectionDefinition(Name)]
public sealed class SharedSynthesis : ICollectionFixture<DefaultTemplate>, ICollectionFixture<VariantTemplate>
{
    public const string Name = "Synthesized stacks";
}
