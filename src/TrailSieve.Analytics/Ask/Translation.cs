namespace TrailSieve.Analytics.Ask;

/// <summary>How one phrase of a question was read.</summary>
public sealed record PhraseMapping(string Phrase, string Meaning);

/// <summary>The result of reading a question: the SQL, how each phrase mapped, and the words that were not understood.</summary>
public sealed record Translation(string Sql, IReadOnlyList<PhraseMapping> Mappings, IReadOnlyList<string> Unknown)
{
    /// <summary>Every word was understood; the SQL says what the question asks.</summary>
    public bool Understood => Unknown.Count == 0;
}
