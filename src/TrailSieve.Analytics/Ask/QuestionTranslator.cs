namespace TrailSieve.Analytics.Ask;

/// <summary>
/// <c>trailsieve ask</c>'s core: a plain-English question to SQL, deterministically (no model, no network), with how
/// every phrase was read and which words were not understood. Pure: the same question, dialect, table and
/// <c>nowUtc</c> always give the same <see cref="Translation"/>.
/// </summary>
public static class QuestionTranslator
{
    public static Translation Translate(string question, DateTime nowUtc, AskDialect dialect = AskDialect.DuckDb, string table = "cloudtrail")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        if (table.Split('.') is not { Length: 1 or 2 } parts || !parts.All(p => p.Length > 0 && !char.IsAsciiDigit(p[0]) && p.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException($"table '{table}' is not [database.]name of letters, digits and underscores", nameof(table));
        }

        var parser = QuestionParser.Parse(question, nowUtc);
        return new Translation(SqlBuilder.Build(parser.Model, dialect, table), parser.Mappings, parser.Unknown);
    }
}
