namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>How one interval's measurements of a series become its EMF value.</summary>
internal enum EmfAggregation
{
    /// <summary>Counters: the sum of the interval's increments (a delta, what CloudWatch's Sum statistic expects).</summary>
    Sum,

    /// <summary>Histograms: the recorded values themselves, written as an EMF value array.</summary>
    Distribution,

    /// <summary>Gauges: the last value observed (observable gauges are read once per flush).</summary>
    Last,
}
