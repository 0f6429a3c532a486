using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// Mirror mode: an object's pieces stream into its own output under the same key as it is read; the output is
/// committed at the object's end (or aborted if it fails), and one with no kept record is written only when asked.
/// The commits run off the writer's loop, at most <see cref="MaxCommitsInFlight"/> at once.
/// </summary>
internal sealed class MirrorWriter(IObjectSink sink, string prefix, bool writeEmpty, PipelineCounters counters, ILogger logger)
{
    /// <summary>
    /// Objects' commits running at once. Each holds only its finished output (at most the sink's part size of it, on
    /// S3), and four are enough to hide an fsync's or a PUT's latency behind the next objects' chunks.
    /// </summary>
    internal const int MaxCommitsInFlight = 4;

    private readonly Dictionary<ObjectProgress, IOutputObject> _open = [];

    public async Task AppendAsync(ObjectProgress obj, OutputPiece piece, CancellationToken cancellationToken)
    {
        if (!_open.TryGetValue(obj, out var output))
        {
            output = await sink.CreateAsync(KeyOf(obj), cancellationToken).ConfigureAwait(false);
            _open.Add(obj, output);
            await output.WriteAsync(GzipMembers.Header, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await output.WriteAsync(GzipMembers.Separator, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteAsync(piece.Compressed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The commit of the object's output (or, when nothing was kept, of an empty document if asked for), for the
    /// writer to run off its loop (<see cref="CommitsInFlight"/>); null when there is nothing to commit. The commit's
    /// result is null once the output is durable, or why it is not.
    /// </summary>
    public Func<Task<Exception?>>? Finish(ObjectProgress obj, CancellationToken cancellationToken)
    {
        if (!_open.Remove(obj, out var output))
        {
            return writeEmpty ? () => WriteEmptyAsync(obj, cancellationToken) : null;
        }

        return () => CommitAsync(obj, output, cancellationToken);
    }

    /// <summary>Aborts the object's output, if it has one: nothing partial appears.</summary>
    public async ValueTask DiscardAsync(ObjectProgress obj)
    {
        if (_open.Remove(obj, out var output))
        {
            await output.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask AbortAllAsync()
    {
        foreach (var output in _open.Values)
        {
            await output.DisposeAsync().ConfigureAwait(false);
        }

        _open.Clear();
    }

    private async Task<Exception?> CommitAsync(ObjectProgress obj, IOutputObject output, CancellationToken cancellationToken)
    {
        try
        {
            await using (output.ConfigureAwait(false))
            {
                await output.WriteAsync(GzipMembers.Trailer, cancellationToken).ConfigureAwait(false);
                using (var upload = TrailSieveActivity.Source.StartActivity("object upload", ActivityKind.Client, obj.Object.Activity?.Context ?? default))
                {
                    upload?.SetTag("trailsieve.output", sink.Describe(output.Key));
                    await output.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                counters.AddOutput(output.Length);
                Log.OutputCommitted(logger, sink.Describe(output.Key), obj.Kept, output.Length);
                return null;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    private async Task<Exception?> WriteEmptyAsync(ObjectProgress obj, CancellationToken cancellationToken)
    {
        try
        {
            var output = await sink.CreateAsync(KeyOf(obj), cancellationToken).ConfigureAwait(false);
            await using (output.ConfigureAwait(false))
            {
                await output.WriteAsync(GzipMembers.EmptyDocument, cancellationToken).ConfigureAwait(false);
                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
                counters.AddOutput(output.Length);
                return null;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    private string KeyOf(ObjectProgress obj) => prefix + obj.Object.Source.OutputKey;
}
