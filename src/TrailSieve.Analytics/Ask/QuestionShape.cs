namespace TrailSieve.Analytics.Ask;

/// <summary>What kind of answer a question wants.</summary>
internal enum QuestionShape
{
    /// <summary>Matching records, newest first.</summary>
    List,

    /// <summary>One number.</summary>
    Count,

    /// <summary>A count per value of a dimension, largest first.</summary>
    CountBy,

    /// <summary>The N largest counts per value of a dimension.</summary>
    Top,
}
