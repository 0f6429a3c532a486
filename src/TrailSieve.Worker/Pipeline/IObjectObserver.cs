namespace TrailSieve.Worker.Pipeline;

/// <summary>Told once per object when its outcome is final: output durable, skipped, or failed.</summary>
internal interface IObjectObserver
{
    void OnCompleted(ObjectOutcome outcome);
}
