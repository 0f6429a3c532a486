using System.CommandLine;
using Microsoft.Extensions.Configuration;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// <c>Pipeline:Compression</c> for the local commands (<c>filter</c>, <c>dryrun</c>): <c>--compression</c> when given,
/// else the configuration <c>run</c> reads (<c>Pipeline__Compression</c> in the environment), else auto. A value that
/// is no codec, or <c>isal</c> where ISA-L cannot be loaded, is a configuration error in the one-line format.
/// </summary>
internal static class CompressionSetting
{
    private const string Key = PipelineOptions.SectionName + ":" + nameof(PipelineOptions.Compression);

    public static Option<GzipCodecChoice?> Option() => new("--compression")
    {
        Description = "gzip codec for input and output: auto (ISA-L when libisal.so.2 loads, else zlib), isal, zlib. Default: Pipeline__Compression, else auto.",
    };

    /// <summary>The choice, or false when a problem was written to <paramref name="error"/>.</summary>
    /// <param name="flag">The value of <c>--compression</c>, if given.</param>
    /// <param name="configuration">The configuration, read only without the flag.</param>
    /// <param name="isalUnavailable">Why ISA-L cannot be loaded (null: it can).</param>
    /// <param name="error">Where a problem is written.</param>
    /// <param name="choice">The codec chosen.</param>
    public static bool TryResolve(GzipCodecChoice? flag, Func<IConfiguration> configuration, string? isalUnavailable, TextWriter error, out GzipCodecChoice choice)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        choice = GzipCodecChoice.Auto;
        if (flag is { } given)
        {
            choice = given;
        }
        else if (configuration()[Key] is { Length: > 0 } text)
        {
            if (SectionBinder.Unconvertible(typeof(GzipCodecChoice), text) is { } unconvertible)
            {
                ConfigurationErrors.Write(error, [unconvertible with { Setting = Key }]);
                return false;
            }

            choice = Enum.Parse<GzipCodecChoice>(text, ignoreCase: true);
        }

        if (PipelineOptions.CompressionProblem(choice, isalUnavailable) is { } problem)
        {
            ConfigurationErrors.Write(error, [flag is null ? problem : problem with { Setting = "--compression" }]);
            return false;
        }

        return true;
    }
}
