namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>The stack with every option set the other way, and the image built from a (tiny) asset directory.</summary>
public sealed class VariantTemplate() : SynthesizedTemplate(StackContexts.Variant(AssetDirectory.Create()));
