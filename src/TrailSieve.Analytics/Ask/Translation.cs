namespace TrailSieve.Analytics.Ask;

/// <summary>
/// The result of reading a question: the SQL, how each phrase mapped, the words that were not understood, and what
/// the SQL needs that the question does not say.
/// </summary>
public sealed record Translation(string Sql, IReadOnlyList<PhraseMapping> Mappings, IReadOnlyList<string> Unknown, IReadOnlyList<string> Missing)
{
    /// <summary>Every word was understood; the SQL says what the question asks.</summary>
    public bool Understood => Unknown.Count == 0;

    /// <summary>Understood, and nothing the SQL needs is missing: it can run.</summary>
    public bool Runnable => Understood && Missing.Count == 0;
}
