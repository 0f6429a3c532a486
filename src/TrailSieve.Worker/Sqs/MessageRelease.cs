namespace TrailSieve.Worker.Sqs;

/// <summary>A message that will not be deleted, to be made visible again after <paramref name="Visibility"/> (zero: now).</summary>
internal readonly record struct MessageRelease(InFlightMessage Message, TimeSpan Visibility);
