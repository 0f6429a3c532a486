using System.CommandLine;
using System.Globalization;
using TrailSieve.Analytics.Ask;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve ask</c>: a plain-English question to SQL (deterministic, offline), then run or printed.</summary>
internal static class AskCommand
{
    public static Command Create(TimeProvider? timeProvider = null)
    {
        var question = new Argument<string>("QUESTION") { Description = "The question, e.g. \"failed console logins without MFA in the last 7 days\"." };
        var data = AnalyticsOptions.Data();
        data.Required = false;
        var sqlOnly = new Option<bool>("--sql-only") { Description = "Print the SQL and do not run it." };
        var dialect = new Option<AskDialect>("--dialect") { Description = "duckdb (run locally over --data) or athena (printed, for the athena-ddl table).", DefaultValueFactory = _ => AskDialect.DuckDb };
        var table = new Option<string>("--table")
        {
            Description = "Table the SQL reads: your Athena table ([database.]name). Run locally, the view is always 'cloudtrail'; another name needs --sql-only.",
            DefaultValueFactory = _ => AnalyticsEngine.ViewName,
        };
        var accounts = AnalyticsOptions.Accounts("Accounts to query when the question names none (Athena needs one: its table's account partition is injected).");
        var explain = new Option<bool>("--explain") { Description = "Show how each phrase of the question was read." };
        var now = new Option<string?>("--now") { Description = "Take this UTC time (ISO 8601) as now, for reproducible time phrases." };
        var format = AnalyticsOptions.Format();
        var memory = AnalyticsOptions.MemoryLimit();
        var command = new Command("ask", """
            Turn a plain-English question into SQL, deterministically (no network, no model), print the SQL, then run it
            over --data (dialect duckdb) or only print it (dialect athena or --sql-only). Words it does not understand are
            listed, with what it did understand, and nothing runs (exit 2): rephrase rather than get a wrong answer.
            Understands: services and aliases (ec2, s3, iam, lambda, kms, sts, cloudwatch, rds, dynamodb, sns, sqs,
            cloudtrail, signin/console, ...), iam:CreateUser or CreateUser; last N minutes/hours/days/weeks, today,
            yesterday, this week/month, last month, since/on/before/after DATE, between DATE and DATE (yyyy-MM-dd, UTC);
            failed, errors, denied, unauthorized, successful; by user/principal/role NAME; from IP; in REGION;
            in account N; root; console logins (with/without MFA, failed); read-only, write; how many, count by
            user/service/event/IP/region/account/error code/day, top N ..., who ...; a list is newest first, 50 rows.
            Time phrases also select the year/month/day partitions, so Athena reads only those days. The Athena table's
            account partition is injected: name the account in the question or with --accounts, or nothing is printed.
            Exit code 0, 1 when the query or a data file fails, 2 when the question is not understood or for a usage error.

            Examples:
              trailsieve ask "failed console logins without MFA in the last 7 days" --data out/
              trailsieve ask "top 5 users by denied calls in eu-west-1" --data out/ --explain
              trailsieve ask "how many iam write events yesterday in account 111122223333" --dialect athena --table security.cloudtrail
              trailsieve ask "count denied calls by user this week" --dialect athena --accounts 111122223333 444455556666
            """)
        {
            question, data, sqlOnly, dialect, table, accounts, explain, now, format, memory,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var nowUtc = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
            if (parse.GetValue(now) is { } nowText)
            {
                if (!DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    error.WriteLine($"--now: '{nowText}' is not an ISO 8601 time");
                    return ExitCodes.UsageOrRules;
                }

                nowUtc = parsed.UtcDateTime;
            }

            if (AnalyticsOptions.TryAccounts(parse.GetValue(accounts), error) is not { } accountSet)
            {
                return ExitCodes.UsageOrRules;
            }

            Translation translation;
            try
            {
                translation = QuestionTranslator.Translate(parse.GetValue(question)!, nowUtc, parse.GetValue(dialect), parse.GetValue(table)!, [.. accountSet.Order(StringComparer.Ordinal)]);
            }
            catch (ArgumentException ex)
            {
                error.WriteLine($"ask: {ex.Message}");
                return ExitCodes.UsageOrRules;
            }

            if (parse.GetValue(explain) || !translation.Understood)
            {
                var writer = translation.Understood ? output : error;
                foreach (var mapping in translation.Mappings)
                {
                    writer.WriteLine($"-- \"{mapping.Phrase}\": {mapping.Meaning}");
                }
            }

            if (!translation.Understood)
            {
                error.WriteLine($"ask: not understood: {string.Join(", ", translation.Unknown.Select(w => $"\"{w}\""))}. "
                    + (translation.Mappings.Count > 0 ? "Understood the phrases above; " : "Nothing was understood; ")
                    + "rephrase, or write the SQL with 'trailsieve query'. Nothing was run.");
                return ExitCodes.UsageOrRules;
            }

            if (!translation.Runnable)
            {
                foreach (var missing in translation.Missing)
                {
                    error.WriteLine($"ask: the SQL needs {missing}. Nothing was printed.");
                }

                return ExitCodes.UsageOrRules;
            }

            var runsHere = !parse.GetValue(sqlOnly) && parse.GetValue(dialect) == AskDialect.DuckDb;
            if (runsHere && parse.GetValue(table) != AnalyticsEngine.ViewName)
            {
                error.WriteLine($"ask: --table {parse.GetValue(table)}: the local engine reads the view '{AnalyticsEngine.ViewName}'; another table name is only for printed SQL (--sql-only, or --dialect athena)");
                return ExitCodes.UsageOrRules;
            }

            output.WriteLine(translation.Sql + ";");
            if (!runsHere)
            {
                return ExitCodes.Success;
            }

            if (parse.GetValue(data) is not { Length: > 0 } paths)
            {
                error.WriteLine("ask: --data is needed to run the query (or use --sql-only / --dialect athena)");
                return ExitCodes.UsageOrRules;
            }

            if (AnalyticsOptions.TryFindData(paths, error) is not { } files)
            {
                return ExitCodes.UsageOrRules;
            }

            output.WriteLine();
            return QueryCommand.Run(files, translation.Sql, parse.GetValue(format), parse.GetValue(memory), output, error);
        });
        return command;
    }
}
