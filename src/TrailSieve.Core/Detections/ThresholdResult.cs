namespace TrailSieve.Core.Detections;

/// <summary>
/// The outcome of one threshold hit; when it <see cref="ThresholdOutcome.Fired"/>, the number of distinct keys among the
/// window's hits (the number of hits when they carry no key) and the eventTimes of the first and last of them (the
/// window they fell in). <see cref="EvictedGroups"/> counts the groups this hit's new group pushed out with live state.
/// </summary>
public readonly record struct ThresholdResult(ThresholdOutcome Outcome, int Count, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int EvictedGroups = 0);
