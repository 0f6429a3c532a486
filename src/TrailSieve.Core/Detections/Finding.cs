namespace TrailSieve.Core.Detections;

/// <summary>
/// One finding raised: its line is <see cref="ChunkFindings.Lines"/>[Start..Start+Length]. The rest is what is logged
/// and counted (never the record): the detection, the record's eventID and account, and the UTC day of its eventTime,
/// which partitions the findings output; null when the record has no eventTime that parses (the writer then files it
/// under the day it is written).
/// </summary>
public readonly record struct Finding(Detection Detection, string EventId, string Account, DateOnly? Day, int Start, int Length);
