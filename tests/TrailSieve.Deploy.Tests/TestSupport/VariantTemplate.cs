namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>The stack with every option set the other way, and the image built from a (tiny) asset directory.</summary>
public sealed class VariantTemplate : SynthesizedTemplate, IDisposable
{
    public VariantTemplate()
        : this(AssetDirectory.Create())
    {
    }

    private VariantTemplate(string assetDirectory)
        : base(StackContexts.Variant(assetDirectory))
    {
        AssetDirectoryPath = assetDirectory;
    }

    public string AssetDirectoryPath { get; }

    public void Dispose() => Directory.Delete(AssetDirectoryPath, recursive: true);
}
