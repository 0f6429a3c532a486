namespace TrailSieve.Analytics.Ask;

/// <summary>How one phrase of a question was read.</summary>
public sealed record PhraseMapping(string Phrase, string Meaning);
