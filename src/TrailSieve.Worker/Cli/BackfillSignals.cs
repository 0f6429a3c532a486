using System.Runtime.InteropServices;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// Ctrl-C or SIGTERM (a Spot interruption, <c>aws ecs stop-task</c>) during a backfill: the first stops the listing
/// and lets what is in flight finish (<see cref="Stop"/>); a second aborts the pipeline and the sends too
/// (<see cref="Abort"/>). Both also follow the command's own cancellation. Registered for the whole command: once
/// the work is over (<see cref="Finish"/>), a signal only lets the shutdown finish, with the command's exit code.
/// </summary>
internal sealed class BackfillSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _abort;
    private readonly PosixSignalRegistration _onTerm;
    private readonly PosixSignalRegistration _onInt;
    private readonly TextWriter _error;
    private volatile bool _finished;

    public BackfillSignals(TextWriter error, CancellationToken cancellationToken)
    {
        _error = error;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Stop listing; finish and checkpoint what is in flight.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Give up what is in flight; only what finished is checkpointed.</summary>
    public CancellationToken Abort => _abort.Token;

    public bool Aborted => _abort.IsCancellationRequested;

    /// <summary>The work is over: later signals are acknowledged and change nothing.</summary>
    public void Finish() => _finished = true;

    public void Dispose()
    {
        _onInt.Dispose();
        _onTerm.Dispose();
        _abort.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_finished)
        {
            _error.WriteLine($"backfill: {context.Signal}: the work is over; finishing the shutdown");
        }
        else if (!_stop.IsCancellationRequested)
        {
            _error.WriteLine($"backfill: {context.Signal}: stopping the listing and finishing what is in flight (again to abort)");
            _stop.Cancel();
        }
        else
        {
            _error.WriteLine($"backfill: {context.Signal} again: aborting what is in flight; only what finished is checkpointed");
            _abort.Cancel();
        }
    }
}
