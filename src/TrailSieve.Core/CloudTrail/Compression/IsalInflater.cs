using System.Runtime.InteropServices;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// The <see cref="GzipInflater"/> over ISA-L's <c>isal_inflate</c> with <c>crc_flag = ISAL_GZIP</c>: ISA-L parses
/// each member's header and checks its trailer's CRC-32 and ISIZE (a mismatch is <c>ISAL_INCORRECT_CHECKSUM</c>).
/// At the end of a member it hands back the bytes it read ahead, so the next member (or trailing data) starts at the
/// first byte it did not consume.
/// </summary>
internal sealed unsafe class IsalInflater : GzipInflater
{
    private byte* _state;

    public IsalInflater()
    {
        _state = (byte*)NativeMemory.AllocZeroed(NativeIsal.InflateStateSize + NativeIsal.Slack);
        NativeIsal.InflateInit(_state);
        *(uint*)(_state + NativeIsal.InflateCrcFlag) = NativeIsal.Gzip;
    }

    protected override bool InflateMember(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        ObjectDisposedException.ThrowIf(_state is null, this);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            *(byte**)(_state + NativeIsal.InflateNextIn) = inPtr;
            *(uint*)(_state + NativeIsal.InflateAvailIn) = (uint)input.Length;
            *(byte**)(_state + NativeIsal.InflateNextOut) = outPtr;
            *(uint*)(_state + NativeIsal.InflateAvailOut) = (uint)output.Length;
            var status = NativeIsal.Inflate(_state);
            consumed = input.Length - (int)*(uint*)(_state + NativeIsal.InflateAvailIn);
            written = output.Length - (int)*(uint*)(_state + NativeIsal.InflateAvailOut);
            *(byte**)(_state + NativeIsal.InflateNextIn) = null;
            *(byte**)(_state + NativeIsal.InflateNextOut) = null;
            if (status < NativeIsal.DecompOk)
            {
                throw new CloudTrailFormatException(CloudTrailErrorKind.CorruptGzip, $"corrupt gzip data ({Describe(status)})");
            }

            return *(int*)(_state + NativeIsal.InflateBlockState) == NativeIsal.BlockFinish;
        }
    }

    protected override void ResetMember()
    {
        ObjectDisposedException.ThrowIf(_state is null, this);
        NativeIsal.InflateReset(_state);
        *(uint*)(_state + NativeIsal.InflateCrcFlag) = NativeIsal.Gzip;
    }

    protected override void Dispose(bool disposing)
    {
        if (_state is not null)
        {
            NativeMemory.Free(_state);
            _state = null;
        }
    }

    private static string Describe(int status) => status switch
    {
        NativeIsal.InvalidBlock => "invalid block type",
        NativeIsal.InvalidSymbol => "invalid code",
        NativeIsal.InvalidLookback => "invalid distance too far back",
        NativeIsal.InvalidWrapper => "incorrect header check",
        NativeIsal.UnsupportedMethod => "unknown compression method",
        NativeIsal.IncorrectChecksum => "incorrect data check or length",
        _ => $"ISA-L status {status}",
    };
}
