namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>Finds the repository root (the folder with Worker.sln) and the shared corpus beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// ../shared/corpus/real. It is always there in CI (../shared is checked out beside the clone), so a missing corpus
    /// fails the test that needs it, with the path it looked at, rather than letting it pass without checking anything.
    /// </summary>
    public static string RealCorpus
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus", "real"));
            return Directory.Exists(path)
                ? path
                : throw new InvalidOperationException(
                    $"the real CloudTrail corpus is missing: {path} does not exist. Tests read it from ../shared/corpus/real beside the repository, as CI checks it out; put ../shared there to run them.");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Worker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Worker.sln not found above " + AppContext.BaseDirectory);
    }
}
