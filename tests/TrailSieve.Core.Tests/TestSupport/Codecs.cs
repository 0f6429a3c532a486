using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>
/// The codecs the tests run over, by name (<c>zlib</c>, <c>isal</c>). ISA-L cases skip, with the reason, where libisal
/// cannot be loaded, and fail instead when <c>TRAILSIEVE_REQUIRE_ISAL=1</c> (CI sets it, so both codecs are proven there).
/// </summary>
public static class Codecs
{
    public const string Zlib = "zlib";
    public const string Isal = "isal";

    /// <summary>The variable that turns a missing ISA-L from a skip into a failure.</summary>
    public const string RequireIsalVariable = "TRAILSIEVE_REQUIRE_ISAL";

    /// <summary>Why the ISA-L cases are skipped; null when they run (ISA-L loads, or it is required).</summary>
    public static string? IsalSkipReason =>
        GzipCodec.Isal is not null || Environment.GetEnvironmentVariable(RequireIsalVariable) == "1"
            ? null
            : $"ISA-L cannot be loaded ({GzipCodec.IsalUnavailableReason}; apt-get install libisal2); set {RequireIsalVariable}=1 to fail instead";

    /// <summary>The configuration's choice naming <paramref name="name"/>; fails the test as <see cref="Get"/> does.</summary>
    public static GzipCodecChoice Choice(string name)
    {
        _ = Get(name);
        return Enum.Parse<GzipCodecChoice>(name, ignoreCase: true);
    }

    /// <summary>How many gzip members <paramref name="gzip"/> holds (zlib decodes it; it must be whole and clean).</summary>
    public static int CountMembers(ReadOnlySpan<byte> gzip)
    {
        using var inflater = GzipCodec.Zlib.CreateInflater();
        var output = new byte[64 * 1024];
        var members = 0;
        while (!gzip.IsEmpty)
        {
            var wasBoundary = inflater.AtMemberBoundary;
            inflater.Inflate(gzip, output, out var consumed, out var written);
            if (consumed == 0 && written == 0)
            {
                throw new InvalidOperationException("the decoder made no progress");
            }

            gzip = gzip[consumed..];
            members += !wasBoundary && inflater.AtMemberBoundary ? 1 : 0;
        }

        return inflater.AtMemberBoundary ? members : throw new InvalidOperationException("the data ends inside a member");
    }

    /// <summary>The codec named <paramref name="name"/>; fails the test when it is ISA-L and libisal cannot be loaded.</summary>
    public static GzipCodec Get(string name) => name switch
    {
        Zlib => GzipCodec.Zlib,
        Isal => GzipCodec.Isal ?? throw new InvalidOperationException(
            $"ISA-L is required ({RequireIsalVariable}=1) but cannot be loaded: {GzipCodec.IsalUnavailableReason}; apt-get install libisal2"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a codec"),
    };
}
