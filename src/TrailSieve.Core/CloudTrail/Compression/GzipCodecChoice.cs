namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>Which <see cref="GzipCodec"/> to use (<c>Pipeline:Compression</c>).</summary>
public enum GzipCodecChoice
{
    /// <summary>ISA-L when it loads, else zlib.</summary>
    Auto,

    /// <summary>ISA-L; the service does not start without it.</summary>
    Isal,

    /// <summary>The runtime's zlib-ng.</summary>
    Zlib,
}
