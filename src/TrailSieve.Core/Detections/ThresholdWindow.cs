namespace TrailSieve.Core.Detections;

/// <summary>What a threshold finding adds: the group value, the count reached, the window, and the eventTimes of the first and last hit counted.</summary>
public sealed record ThresholdWindow(string Group, int Count, TimeSpan Window, DateTimeOffset Start, DateTimeOffset End);
