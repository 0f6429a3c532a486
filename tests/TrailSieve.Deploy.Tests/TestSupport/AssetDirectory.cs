namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>A directory with a one-line Dockerfile: enough for an image asset, without hashing the repository.</summary>
public static class AssetDirectory
{
    public static string Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "trailsieve-deploy-asset-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Dockerfile"), "FROM scratch\n");
        return directory;
    }
}
