namespace TrailSieve.Core.CloudTrail;

/// <summary>What reading one CloudTrail object found.</summary>
/// <param name="Records">Records read.</param>
/// <param name="SourceBytes">Bytes of the object as stored (compressed when gzip).</param>
/// <param name="DecodedBytes">Bytes of the JSON document.</param>
/// <param name="WasGzip">The object was gzip.</param>
/// <param name="IsDigest">The object was a CloudTrail digest file (no records; skipped, not an error).</param>
/// <param name="Quarantined">Elements of <c>Records</c> put aside as unusable (not counted in <paramref name="Records"/>).</param>
public readonly record struct CloudTrailReadResult(long Records, long SourceBytes, long DecodedBytes, bool WasGzip, bool IsDigest, long Quarantined = 0);
