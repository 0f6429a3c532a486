using Microsoft.Extensions.Configuration;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Options;

/// <summary><c>Pipeline:Compression</c>: its configuration error, and how the local commands read it.</summary>
public sealed class PipelineCompressionTests
{
    private const string Missing = "libisal.so.2 and libisal.so cannot be loaded";

    [Fact]
    public void CompressionProblem_IsalWithoutLibrary_OneLineNamingTheLibraryAndItsPackage()
    {
        var problem = PipelineOptions.CompressionProblem(GzipCodecChoice.Isal, Missing);

        using var error = new StringWriter();
        var code = ConfigurationErrors.Write(error, [problem!]);

        Assert.Equal(2, code);
        Assert.Equal(
            "trailsieve: configuration error: Pipeline:Compression: isal needs ISA-L, but libisal.so.2 and libisal.so cannot be loaded (install it: apt-get install libisal2); accepted: auto, zlib"
            + Environment.NewLine,
            error.ToString());
    }

    [Theory]
    [InlineData(GzipCodecChoice.Auto, Missing)]
    [InlineData(GzipCodecChoice.Zlib, Missing)]
    [InlineData(GzipCodecChoice.Isal, null)]
    public void CompressionProblem_UsableChoice_None(GzipCodecChoice choice, string? isalUnavailable)
    {
        Assert.Null(PipelineOptions.CompressionProblem(choice, isalUnavailable));
    }

    [Fact]
    public void Codec_Default_TheCodecAutoChoosesHere()
    {
        var options = new PipelineOptions();

        Assert.Equal(GzipCodecChoice.Auto, options.Compression);
        Assert.Equal(GzipCodec.Isal is null ? "zlib" : "isal", options.Codec);
        Assert.Same(GzipCodec.Isal ?? GzipCodec.Zlib, options.ResolveCodec());
    }

    [Theory]
    [InlineData(GzipCodecChoice.Zlib, null, GzipCodecChoice.Zlib)]
    [InlineData(null, "zlib", GzipCodecChoice.Zlib)]
    [InlineData(null, "Isal", GzipCodecChoice.Isal)]
    [InlineData(null, null, GzipCodecChoice.Auto)]
    [InlineData(GzipCodecChoice.Auto, "zlib", GzipCodecChoice.Auto)]
    public void TryResolve_FlagOverConfigurationOverAuto(GzipCodecChoice? flag, string? configured, GzipCodecChoice expected)
    {
        using var error = new StringWriter();

        var ok = CompressionSetting.TryResolve(flag, () => Configuration(configured), isalUnavailable: null, error, out var choice);

        Assert.True(ok, error.ToString());
        Assert.Equal(expected, choice);
    }

    [Fact]
    public void TryResolve_ConfiguredValueNotACodec_ConfigurationError()
    {
        using var error = new StringWriter();

        Assert.False(CompressionSetting.TryResolve(null, () => Configuration("gzip"), isalUnavailable: null, error, out _));

        Assert.Equal("trailsieve: configuration error: Pipeline:Compression: 'gzip' is not supported; accepted: auto, isal, zlib" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void TryResolve_IsalFlagWithoutLibrary_ConfigurationErrorNamingTheFlag()
    {
        using var error = new StringWriter();

        Assert.False(CompressionSetting.TryResolve(GzipCodecChoice.Isal, () => Configuration(null), Missing, error, out _));

        Assert.StartsWith("trailsieve: configuration error: --compression: isal needs ISA-L, but " + Missing, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_FlagGiven_ConfigurationNotRead()
    {
        using var error = new StringWriter();

        Assert.True(CompressionSetting.TryResolve(GzipCodecChoice.Zlib, () => throw new InvalidOperationException("read"), null, error, out _));
    }

    private static IConfiguration Configuration(string? compression) => new ConfigurationBuilder()
        .AddInMemoryCollection(compression is null ? [] : [new KeyValuePair<string, string?>("Pipeline:Compression", compression)])
        .Build();
}
