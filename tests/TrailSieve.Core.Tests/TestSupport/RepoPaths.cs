namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>Finds the repository root (the folder with Worker.sln) and the shared corpus beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/corpus/real, or null when it is not there (CI always has it: then its absence fails).</summary>
    public static string? RealCorpus
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus", "real"));
            if (Directory.Exists(path))
            {
                return path;
            }

            Assert.True(Environment.GetEnvironmentVariable("CI") is null, $"CI runs with ../shared beside the clone, but {path} is missing");
            return null;
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
