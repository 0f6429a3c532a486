namespace TrailSieve.Core.Ocsf;

/// <summary>What a CloudTrail record maps to: its OCSF class and activity (id and caption).</summary>
public readonly record struct OcsfActivity(OcsfClass Class, int Id, string Name);
