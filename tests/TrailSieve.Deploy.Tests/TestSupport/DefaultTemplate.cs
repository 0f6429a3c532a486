namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>The stack with only the required context.</summary>
public sealed class DefaultTemplate() : SynthesizedTemplate(StackContexts.Default());
