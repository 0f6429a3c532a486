namespace TrailSieve.Worker.Output;

/// <summary>Where output objects go: a local folder, or S3. Stages write through it and never see an SDK.</summary>
internal interface IObjectSink
{
    /// <summary>How a key is shown in logs and messages (a path, or an s3:// URI).</summary>
    string Describe(string key);

    /// <summary>Starts an object; nothing is visible under <paramref name="key"/> until it is committed.</summary>
    ValueTask<IOutputObject> CreateAsync(string key, CancellationToken cancellationToken);
}
