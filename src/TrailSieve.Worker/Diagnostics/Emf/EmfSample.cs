namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>
/// One series' data for one interval: a single <see cref="Value"/> (sums, gauges, rates) or, for histograms, the
/// recorded <see cref="Values"/>. <see cref="Dimensions"/> are the tag dimensions, sorted by name.
/// </summary>
internal sealed record EmfSample(string Name, string Unit, IReadOnlyList<KeyValuePair<string, string>> Dimensions, string DimensionKey, double Value, double[]? Values = null);
