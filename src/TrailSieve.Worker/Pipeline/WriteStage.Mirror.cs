using System.Diagnostics;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Mirror mode: an object's pieces stream into its own output under the same key as it is read; the output is
/// committed at the object's end (or abandoned if it fails), and one with no kept record is written only when asked.
/// </summary>
internal sealed partial class WriteStage
{
    private async Task AppendMirrorAsync(FileContext file, OutputPiece piece, CancellationToken cancellationToken)
    {
        if (file.MirrorOutput is null)
        {
            file.MirrorOutput = await _sink.CreateAsync(MirrorKey(file), cancellationToken).ConfigureAwait(false);
            _openMirrors.Add(file);
            await file.MirrorOutput.WriteAsync(GzipMembers.Header, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await file.MirrorOutput.WriteAsync(GzipMembers.Separator, cancellationToken).ConfigureAwait(false);
        }

        await file.MirrorOutput.WriteAsync(piece.Compressed, cancellationToken).ConfigureAwait(false);
    }

    private async Task FinishMirrorAsync(FileContext file, CancellationToken cancellationToken)
    {
        var output = file.MirrorOutput;
        if (output is null)
        {
            if (!_options.WriteEmpty)
            {
                return;
            }

            output = await _sink.CreateAsync(MirrorKey(file), cancellationToken).ConfigureAwait(false);
            await using (output.ConfigureAwait(false))
            {
                await output.WriteAsync(GzipMembers.EmptyDocument, cancellationToken).ConfigureAwait(false);
                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
                _counters.AddOutput(output.Length);
            }

            return;
        }

        await output.WriteAsync(GzipMembers.Trailer, cancellationToken).ConfigureAwait(false);
        using (var upload = TrailSieveActivity.Source.StartActivity("object upload", ActivityKind.Client, file.Activity?.Context ?? default))
        {
            upload?.SetTag("trailsieve.output", _sink.Describe(output.Key));
            await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _counters.AddOutput(output.Length);
        Log.OutputCommitted(_logger, _sink.Describe(output.Key), file.Kept, output.Length);
        _openMirrors.Remove(file);
        file.MirrorOutput = null;
        await output.DisposeAsync().ConfigureAwait(false);
    }

    private string MirrorKey(FileContext file) => _options.Prefix + file.Work.OutputKey;
}
