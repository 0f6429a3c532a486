using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// Reusable ISA-L deflate streams, one pool per level. A stream and its level buffer are ~80 KB and ~330 KB of native
/// memory; the filter workers compress one member per partition and chunk, so allocating and initialising them each
/// time would cost more than compressing a small piece. At most <see cref="MaxPooled"/> per level are kept.
/// </summary>
internal static unsafe class IsalDeflaterPool
{
    private static readonly int MaxPooled = Math.Max(4, 2 * Environment.ProcessorCount);
    private static readonly ConcurrentQueue<Deflater>[] s_pools = [new(), new(), new(), new()];

    /// <summary>A deflate stream at ISA-L level <paramref name="level"/> (0 to 3), ready for a new gzip member.</summary>
    public static Deflater Rent(int level)
    {
        var deflater = s_pools[level].TryDequeue(out var pooled) ? pooled : new Deflater(level);
        deflater.Start();
        return deflater;
    }

    /// <summary>One <c>struct isal_zstream</c> and its level buffer.</summary>
    internal sealed class Deflater
    {
        private readonly int _level;
        private readonly byte* _levelBuffer;

        public Deflater(int level)
        {
            _level = level;
            Stream = (byte*)NativeMemory.AllocZeroed(NativeIsal.ZStreamSize + NativeIsal.Slack);
            var size = NativeIsal.LevelBufferSizes[level];
            _levelBuffer = size == 0 ? null : (byte*)NativeMemory.Alloc((nuint)size);
            NativeIsal.DeflateInit(Stream);
        }

        public byte* Stream { get; }

        /// <summary>Resets the stream for a new member and sets its level and gzip wrapper (reset keeps neither reliably).</summary>
        public void Start()
        {
            NativeIsal.DeflateReset(Stream);
            *(uint*)(Stream + NativeIsal.DeflateLevel) = (uint)_level;
            *(uint*)(Stream + NativeIsal.DeflateLevelBufSize) = (uint)NativeIsal.LevelBufferSizes[_level];
            *(byte**)(Stream + NativeIsal.DeflateLevelBuf) = _levelBuffer;
            *(ushort*)(Stream + NativeIsal.DeflateGzipFlag) = NativeIsal.Gzip;
            *(ushort*)(Stream + NativeIsal.DeflateFlush) = 0;
            *(ushort*)(Stream + NativeIsal.DeflateEndOfStream) = 0;
        }

        /// <summary>Back to the pool, or freed when the pool is full.</summary>
        public void Return()
        {
            var pool = s_pools[_level];
            if (pool.Count < MaxPooled)
            {
                pool.Enqueue(this);
                return;
            }

            NativeMemory.Free(_levelBuffer);
            NativeMemory.Free(Stream);
        }
    }
}
