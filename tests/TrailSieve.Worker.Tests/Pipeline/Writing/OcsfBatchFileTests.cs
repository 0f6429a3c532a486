using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;
using TrailSieve.Worker.Pipeline.Writing;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline.Writing;

public sealed class OcsfBatchFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-ocsf-file-").FullName;
    private readonly CloudTrailOcsfMapper _mapper = new();
    private readonly SemaphoreSlim _encoders = new(1);

    public void Dispose()
    {
        _encoders.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task FinishAsync_PiecesPastTheRowGroupSize_OneFileOfSeveralRowGroupsWithEveryEventInOrder()
    {
        // Given 10 pieces of 50 events, each standing for half a row group of record bytes
        using var file = new OcsfBatchFile(_encoders);
        var n = 0;
        for (var piece = 0; piece < 10; piece++)
        {
            var events = Enumerable.Range(0, 50).Select(_ => _mapper.Map(OutputDocuments.Utf8(OutputDocuments.Record("RunInstances", id: n++)))).ToList();
            await file.AddAsync(OutputPiece.OfEvents(new PartitionKey("111122223333", "us-east-1", new DateOnly(2026, 1, 2), 6003), events, OcsfBatchFile.RowGroupRawBytes / 2), CancellationToken.None);
        }

        // When the file is finished
        var bytes = await file.FinishAsync(CancellationToken.None);
        var path = Path.Combine(_dir, "f.parquet");
        await File.WriteAllBytesAsync(path, bytes.ToArray());

        // Then it is one Parquet file of 5 row groups (a group every two pieces), zstd, holding the 500 events in order,
        // and every encoder it took is given back
        Assert.Equal("5", ParquetFiles.Scalar(path, "select count(distinct row_group_id) from parquet_metadata({f})"));
        Assert.Equal("ZSTD", ParquetFiles.Scalar(path, "select string_agg(distinct compression, ',') from parquet_metadata({f})"));
        Assert.Equal(1, _encoders.CurrentCount);
        var ids = ParquetFiles.Query(path, "select metadata.uid from read_parquet({f})").Select(r => r[0]).ToList();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ids);
    }

    [Fact]
    public async Task AddAsync_GzipPiece_IsRefused()
    {
        using var file = new OcsfBatchFile(_encoders);
        using var gzip = new PieceBuilder(PartitionKey.None, System.IO.Compression.CompressionLevel.Fastest);
        gzip.Append(OutputDocuments.Utf8(OutputDocuments.Record("RunInstances")));
        using var piece = gzip.Build();

        await Assert.ThrowsAsync<ArgumentException>(() => file.AddAsync(piece, CancellationToken.None).AsTask());
    }
}
