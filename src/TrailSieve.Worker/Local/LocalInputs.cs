using TrailSieve.Core.Layout;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Local;

/// <summary>
/// Turns the command line's INPUT arguments into objects: a file stands for itself (output key: its name); a folder
/// for every <c>*.json.gz</c> and <c>*.json</c> below it (output key: its path relative to that folder).
/// The objects are processed in time order, so runs are reproducible and threshold windows see a trail roughly as it
/// happened: files named like CloudTrail's own (<see cref="LogFileName"/>) by the timestamp in the name, then by path;
/// every other file after them, in path order (argument order between arguments). Path order alone would walk an
/// <c>AWSLogs/&lt;account&gt;/CloudTrail/&lt;region&gt;/yyyy/MM/dd/</c> tree one account and region at a time, and a
/// threshold drops hits older than the lateness allowance behind the newest one, so most would be lost. Output is
/// not affected: mirror keys are per input, and within one account, region and day (a batch partition) time order
/// and path order are the same.
/// </summary>
internal static class LocalInputs
{
    public static IReadOnlyList<SourceObject> Enumerate(IEnumerable<string> inputs)
    {
        var result = new List<SourceObject>();
        foreach (var input in inputs)
        {
            if (File.Exists(input))
            {
                result.Add(Create(Path.GetFullPath(input), Path.GetFileName(input)));
            }
            else if (Directory.Exists(input))
            {
                var root = Path.GetFullPath(input);
                var files = Directory.EnumerateFiles(root, "*.json*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    result.Add(Create(file, Path.GetRelativePath(root, file)));
                }
            }
            else
            {
                throw new FileNotFoundException($"input '{input}' is neither a file nor a folder", input);
            }
        }

        return InTimeOrder(result);
    }

    /// <summary>CloudTrail-named files by their timestamp, then path; the rest after them in the order given (a stable sort).</summary>
    private static List<SourceObject> InTimeOrder(List<SourceObject> objects) =>
    [
        .. objects
            .Select(work => (Work: work, Dated: LogFileName.TryParseTime(work.Name, out var time), Time: time))
            .OrderBy(o => !o.Dated)
            .ThenBy(o => o.Time)
            .ThenBy(o => o.Dated ? o.Work.Name : string.Empty, StringComparer.Ordinal)
            .Select(o => o.Work),
    ];

    /// <summary>Enumerates the inputs, or writes why it cannot (a usage error: exit code 2) and returns null.</summary>
    public static IReadOnlyList<SourceObject>? TryEnumerate(IEnumerable<string> inputs, TextWriter error)
    {
        try
        {
            return Enumerate(inputs);
        }
        catch (FileNotFoundException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
    }

    private static SourceObject Create(string path, string relative)
    {
        var key = relative.Replace(Path.DirectorySeparatorChar, '/');
        return new SourceObject
        {
            Name = path,
            Key = key,
            // Output is always gzip: a plain .json input gets .gz added so the name says what the bytes are.
            OutputKey = key.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? key : key + ".gz",
            OpenAsync = _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan | FileOptions.Asynchronous)),
        };
    }
}
