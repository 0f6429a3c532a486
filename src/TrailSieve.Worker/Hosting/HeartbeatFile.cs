using System.Globalization;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// A file holding the time of the last heartbeat (UTC, ISO-8601). Written whole to a temporary file and moved over
/// the old one, so a reader sees either the previous time or the new one, never a torn write.
/// </summary>
internal sealed class HeartbeatFile(string path, TimeProvider timeProvider)
{
    public string Path { get; } = path;

    public void Touch()
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        File.Move(temporary, Path, overwrite: true);
    }

    public static HealthStatus Check(string path, TimeSpan maxAge, TimeProvider time)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new HealthStatus(HeartbeatState.Missing, TimeSpan.Zero);
        }

        if (!DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var beat))
        {
            return new HealthStatus(HeartbeatState.Missing, TimeSpan.Zero);
        }

        // A heartbeat from the future (clock adjusted) counts as just written.
        var age = time.GetUtcNow() - beat;
        age = age < TimeSpan.Zero ? TimeSpan.Zero : age;
        return new HealthStatus(age <= maxAge ? HeartbeatState.Fresh : HeartbeatState.Stale, age);
    }
}
