namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>Finds the repository root (the folder with Worker.sln) and the real corpus inside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// tests/corpus/real, the real CloudTrail corpus checked into the repository (SOURCES.md there names each folder's
    /// origin), so a fresh clone has it. A missing corpus fails the test that needs it, with the path it looked at,
    /// rather than letting it pass without checking anything.
    /// </summary>
    public static string RealCorpus
    {
        get
        {
            var path = Path.Combine(Root, "tests", "corpus", "real");
            return Directory.Exists(path)
                ? path
                : throw new InvalidOperationException(
                    $"the real CloudTrail corpus is missing: {path} does not exist. It is part of the repository (tests/corpus/real); restore it from git.");
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
