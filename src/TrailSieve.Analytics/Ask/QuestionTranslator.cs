namespace TrailSieve.Analytics.Ask;

/// <summary>
/// <c>trailsieve ask</c>'s core: a plain-English question to SQL, deterministically (no model, no network), with how
/// every phrase was read and which words were not understood. Pure: the same question, dialect, table, accounts and
/// <c>nowUtc</c> always give the same <see cref="Translation"/>.
/// </summary>
public static class QuestionTranslator
{
    /// <param name="question">The question.</param>
    /// <param name="nowUtc">What time phrases count from.</param>
    /// <param name="dialect">The SQL dialect.</param>
    /// <param name="table">The table or view the SQL reads, <c>[database.]name</c>.</param>
    /// <param name="accounts">Accounts to query when the question names none (<c>--accounts</c>); 12 digits each.</param>
    public static Translation Translate(
        string question, DateTime nowUtc, AskDialect dialect = AskDialect.DuckDb, string table = "cloudtrail", IReadOnlyCollection<string>? accounts = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        if (table.Split('.') is not { Length: 1 or 2 } parts || !parts.All(p => p.Length > 0 && !char.IsAsciiDigit(p[0]) && p.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException($"table '{table}' is not [database.]name of letters, digits and underscores", nameof(table));
        }

        if (accounts?.FirstOrDefault(a => !Core.Layout.CloudTrailLayout.IsAccountId(a)) is { } bad)
        {
            throw new ArgumentException($"account '{bad}' is not a 12-digit account id", nameof(accounts));
        }

        var parser = QuestionParser.Parse(question, nowUtc);
        var mappings = parser.Mappings.ToList();
        var missing = new List<string>();
        if (parser.Model.Accounts.Count == 0 && accounts is { Count: > 0 })
        {
            parser.Model.Accounts.AddRange(accounts);
            mappings.Add(new PhraseMapping("--accounts", $"account {string.Join(", ", accounts)} (the question names none)"));
        }

        if (dialect == AskDialect.Athena && parser.Model.Accounts.Count == 0)
        {
            // Partition projection with an injected account (athena-ddl and the deployed Glue table without listed
            // accounts) computes the partitions from the query's own account values: Athena refuses a query that has
            // no static equality condition on it (CONSTRAINT_VIOLATION).
            missing.Add("the account: the Athena table's account partition is injected, so Athena runs a query only with "
                + "account = '...' or account IN (...); add \"in account N\" to the question or pass --accounts N [N ...] "
                + "(for a table that lists its accounts, pass the accounts to query)");
        }

        return new Translation(SqlBuilder.Build(parser.Model, dialect, table, nowUtc), mappings, parser.Unknown, missing);
    }
}
