using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Benchmarks;

/// <summary>
/// The benchmarks' input: one CloudTrail file of <see cref="Records"/> records made by the shared generator
/// (../shared/tools/gen_cloudtrail.py, the same shape as the end-to-end run), cached under the temp folder so that the
/// BenchmarkDotNet host (for the MB/s column) and every child process see the same bytes.
/// </summary>
internal static class BenchData
{
    public const int Records = 2500;
    private const int Seed = 7;

    private static readonly Lazy<byte[]> s_gzip = new(LoadGzip);
    private static readonly Lazy<byte[]> s_plain = new(() => Inflate(s_gzip.Value));

    /// <summary>The file as delivered by CloudTrail: gzip.</summary>
    public static byte[] Gzip => s_gzip.Value;

    /// <summary>The uncompressed JSON document (the byte count every MB/s figure is computed on, like the floor's raw).</summary>
    public static byte[] Plain => s_plain.Value;

    /// <summary>The folder holding Worker.sln, found by walking up from the running assembly (or the current folder).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Each record's exact bytes, cut out of <see cref="Plain"/> by the product's document reader.</summary>
    public static byte[][] SplitRecords()
    {
        var list = new List<byte[]>(Records);
        var buffer = new ReadOnlySequence<byte>(Plain);
        var state = default(CloudTrailReaderState);
        while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinalBlock: true, RecordReaderOptions.Default, out var record))
        {
            list.Add(record.ToArray());
        }

        return [.. list];
    }

    private static byte[] LoadGzip()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"trailsieve-bench-{Records}x1-seed{Seed}");
        var existing = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json.gz", SearchOption.AllDirectories) : [];
        if (existing.Length != 1)
        {
            Generate(dir);
            existing = Directory.GetFiles(dir, "*.json.gz", SearchOption.AllDirectories);
        }

        return File.ReadAllBytes(existing.Single());
    }

    private static void Generate(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        var script = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "tools", "gen_cloudtrail.py"));
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { script, dir, "--files", "1", "--events-per-file", Records.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr.Result}");
        }
    }

    private static byte[] Inflate(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Worker.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Worker.sln not found above the benchmark's folder or the current folder");
    }
}
