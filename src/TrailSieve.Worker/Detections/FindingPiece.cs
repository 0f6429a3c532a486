using System.IO.Compression;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Detections;

namespace TrailSieve.Worker.Detections;

/// <summary>
/// The findings of one chunk for one alerts partition, already compressed into one gzip member by the filter worker
/// that raised them (compression runs in parallel, as for records; the writer only appends bytes). A null partition
/// holds the findings of records without an eventTime.
/// </summary>
internal sealed record FindingPiece(DateOnly? Partition, byte[] Compressed, int Count, long RawBytes)
{
    /// <summary>One piece per partition of <paramref name="findings"/>' days, in <paramref name="layout"/>, compressed by <paramref name="codec"/>.</summary>
    public static List<FindingPiece> Build(ChunkFindings findings, FindingsLayout layout, GzipCodec codec, CompressionLevel compressionLevel)
    {
        var pieces = new List<FindingPiece>(1);
        foreach (var partition in findings.Findings.Select(f => layout.PartitionOf(f.Day)).Distinct())
        {
            using var member = new MemoryStream();
            var count = 0;
            long raw = 0;
            using (var gzip = codec.CreateCompressor(member, compressionLevel, leaveOpen: true))
            {
                foreach (var finding in findings.Findings)
                {
                    if (layout.PartitionOf(finding.Day) != partition)
                    {
                        continue;
                    }

                    var line = findings.LineOf(finding);
                    gzip.Write(line.Span);
                    raw += line.Length;
                    count++;
                }
            }

            pieces.Add(new FindingPiece(partition, member.ToArray(), count, raw));
        }

        return pieces;
    }
}
