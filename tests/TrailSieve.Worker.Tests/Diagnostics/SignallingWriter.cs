namespace TrailSieve.Worker.Tests.Diagnostics;

/// <summary>A <see cref="StringWriter"/> that completes <see cref="Written"/> on its first line (awaited, not polled).</summary>
internal sealed class SignallingWriter : StringWriter
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SignallingWriter() => NewLine = "\n";

    public Task Written => _written.Task;

    public override Task WriteLineAsync(string? value)
    {
        lock (_lock)
        {
            base.WriteLine(value);
        }

        _written.TrySetResult();
        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return base.ToString();
        }
    }
}
