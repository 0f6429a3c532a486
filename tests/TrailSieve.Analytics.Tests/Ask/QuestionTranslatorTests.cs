using TrailSieve.Analytics.Ask;

namespace TrailSieve.Analytics.Tests.Ask;

public sealed class QuestionTranslatorTests
{
    private static readonly DateTime s_now = new(2026, 11, 25, 14, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Translate_UnknownWords_ReportedWithWhatWasUnderstood()
    {
        var translation = QuestionTranslator.Translate("failed s3 calls by bob's cat last tuesday", s_now);

        Assert.False(translation.Understood);
        Assert.Equal(["cat", "last", "tuesday"], translation.Unknown);
        Assert.Contains(translation.Mappings, m => m.Phrase == "by bob's");
        Assert.Contains(translation.Mappings, m => m.Phrase == "failed");
        Assert.Contains(translation.Mappings, m => m.Phrase == "s3" && m.Meaning.Contains("s3.amazonaws.com", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("count by usr", "usr", "is not something to count by")]
    [InlineData("how many events by alice", "alice", "say \"by user alice\"")]
    [InlineData("top 5 by colour", "colour", "is not something to count by")]
    [InlineData("list events by usr", "usr", "looks like \"user\" misspelt")]
    [InlineData("failed calls by reigon", "reigon", "looks like \"region\" misspelt")]
    [InlineData("show calls by servce yesterday", "servce", "looks like \"service\" misspelt")]
    public void Translate_ByAnUnknownGrouping_ReportedNotTakenForAPrincipal(string question, string word, string why)
    {
        var translation = QuestionTranslator.Translate(question, s_now);

        Assert.False(translation.Understood);
        Assert.Equal([word], translation.Unknown);
        Assert.Contains(translation.Mappings, m => m.Phrase == $"by {word}" && m.Meaning.Contains(why, StringComparison.Ordinal));
        Assert.DoesNotContain("principal =", translation.Sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list events by alice", "principal = 'alice'")]
    [InlineData("how many events by user alice", "principal = 'alice'")]
    [InlineData("count by user", "GROUP BY 1")]
    [InlineData("who made write calls by bob", "principal = 'bob'")]
    [InlineData("count by region by dan", "principal = 'dan'")]
    public void Translate_ByAName_APrincipalWhereNoGroupingIsWanted(string question, string sql)
    {
        var translation = QuestionTranslator.Translate(question, s_now);

        Assert.True(translation.Understood, string.Join(",", translation.Unknown));
        Assert.Contains(sql, translation.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_NonsenseOnly_NothingUnderstood()
    {
        var translation = QuestionTranslator.Translate("frobnicate the wibble", s_now);

        Assert.Equal(["frobnicate", "wibble"], translation.Unknown);
    }

    [Theory]
    [InlineData("last 15 minutes", "eventtime >= TIMESTAMP '2026-11-25 14:15:00'")]
    [InlineData("past 3 hours", "eventtime >= TIMESTAMP '2026-11-25 11:30:00'")]
    [InlineData("in the last 7 days", "eventtime >= TIMESTAMP '2026-11-18 14:30:00'")]
    [InlineData("today", "eventtime >= TIMESTAMP '2026-11-25 00:00:00'")]
    [InlineData("yesterday", "eventtime >= TIMESTAMP '2026-11-24 00:00:00'\n  AND eventtime < TIMESTAMP '2026-11-25 00:00:00'")]
    [InlineData("since 2026-10-01", "eventtime >= TIMESTAMP '2026-10-01 00:00:00'")]
    [InlineData("on 2026-10-01", "eventtime >= TIMESTAMP '2026-10-01 00:00:00'\n  AND eventtime < TIMESTAMP '2026-10-02 00:00:00'")]
    [InlineData("between 2026-10-05 and 2026-10-01", "eventtime >= TIMESTAMP '2026-10-01 00:00:00'\n  AND eventtime < TIMESTAMP '2026-10-06 00:00:00'")]
    [InlineData("last month", "eventtime >= TIMESTAMP '2026-10-01 00:00:00'\n  AND eventtime < TIMESTAMP '2026-11-01 00:00:00'")]
    public void Translate_TimePhrases_FromInjectedNow(string question, string condition)
    {
        var translation = QuestionTranslator.Translate(question, s_now);

        Assert.True(translation.Understood, string.Join(",", translation.Unknown));
        Assert.Contains("WHERE " + condition + "\n", translation.Sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cloudwatch", "eventsource = 'monitoring.amazonaws.com'")]
    [InlineData("console", "eventsource = 'signin.amazonaws.com'")]
    [InlineData("signin", "eventsource = 'signin.amazonaws.com'")]
    [InlineData("dynamodb", "eventsource = 'dynamodb.amazonaws.com'")]
    [InlineData("secrets manager", "eventsource = 'secretsmanager.amazonaws.com'")]
    [InlineData("root", "useridentity_type = 'Root'")]
    [InlineData("from 203.0.113.9", "sourceipaddress = '203.0.113.9'")]
    [InlineData("in eu-west-1", "region = 'eu-west-1'")]
    [InlineData("in account 111122223333", "account = '111122223333'")]
    [InlineData("by user alice", "principal = 'alice'")]
    [InlineData("by role Admin", "useridentity_sessionissuer_username = 'Admin'")]
    [InlineData("read-only", "readonly = 'true'")]
    [InlineData("writes", "readonly = 'false'")]
    [InlineData("unauthorized", "errorcode LIKE '%Unauthorized%'")]
    [InlineData("console logins with MFA", "json_extract_string(additionaleventdata, '$.MFAUsed') = 'Yes'")]
    [InlineData("user \"o'brien\"", "principal = 'o''brien'")]
    public void Translate_Filters_MapToConditions(string question, string condition)
    {
        var translation = QuestionTranslator.Translate(question, s_now);

        Assert.True(translation.Understood, string.Join(",", translation.Unknown));
        Assert.Contains(condition, translation.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Shapes_ListCountCountByTop()
    {
        Assert.EndsWith("ORDER BY eventtime DESC, eventid\nLIMIT 50", QuestionTranslator.Translate("ec2 events", s_now).Sql, StringComparison.Ordinal);
        Assert.StartsWith("SELECT count(*) AS events\n", QuestionTranslator.Translate("how many ec2 events", s_now).Sql, StringComparison.Ordinal);
        Assert.Equal(
            "SELECT sourceipaddress, count(*) AS events\nFROM cloudtrail\nGROUP BY 1\nORDER BY events DESC, sourceipaddress",
            QuestionTranslator.Translate("count by ip", s_now).Sql);
        Assert.EndsWith("GROUP BY 1\nORDER BY events DESC, eventname\nLIMIT 7", QuestionTranslator.Translate("top 7 events", s_now).Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Athena_ValidAthenaFunctionsTableAccountAndPartitions()
    {
        // Given a question Athena can run: every word understood, and the account the injected projection needs
        var translation = QuestionTranslator.Translate("top 5 users by failed root console logins without mfa yesterday in account 111122223333", s_now, AskDialect.Athena, "security.cloudtrail");

        // Then
        Assert.True(translation.Runnable, string.Join(",", translation.Unknown.Concat(translation.Missing)));
        Assert.Equal(
            """
            SELECT COALESCE(useridentity.userName, useridentity.sessionContext.sessionIssuer.userName, useridentity.invokedBy, useridentity."type") AS principal, count(*) AS events
            FROM security.cloudtrail
            WHERE eventname = 'ConsoleLogin'
              AND account = '111122223333'
              AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('2026-11-24T00:00:00Z')
              AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp('2026-11-25T00:00:00Z')
              AND year = '2026' AND month = '11' AND day = '24'
              AND (errorcode IS NOT NULL OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')
              AND useridentity.type = 'Root'
              AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
            GROUP BY 1
            ORDER BY events DESC, principal
            LIMIT 5
            """.ReplaceLineEndings("\n"),
            translation.Sql);
    }

    [Fact]
    public void Translate_AthenaWithoutAccount_NotRunnableAndSaysTheAccountIsMissing()
    {
        // Athena refuses a query without a static equality condition on an injected partition column
        var translation = QuestionTranslator.Translate("how many s3 events yesterday", s_now, AskDialect.Athena);

        Assert.True(translation.Understood);
        Assert.False(translation.Runnable);
        var missing = Assert.Single(translation.Missing);
        Assert.Contains("account", missing, StringComparison.Ordinal);
        Assert.Contains("--accounts", missing, StringComparison.Ordinal);
        Assert.DoesNotContain("account", translation.Sql.Split("WHERE")[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AskDialect.Athena)]
    [InlineData(AskDialect.DuckDb)]
    public void Translate_AccountsOption_SuppliesTheAccountsTheQuestionDoesNotName(AskDialect dialect)
    {
        var supplied = QuestionTranslator.Translate("count by service", s_now, dialect, accounts: ["111122223333", "444455556666"]);
        var named = QuestionTranslator.Translate("count by service in account 999999999999", s_now, dialect, accounts: ["111122223333"]);

        Assert.True(supplied.Runnable);
        Assert.Contains("WHERE account IN ('111122223333', '444455556666')\n", supplied.Sql, StringComparison.Ordinal);
        Assert.Contains(supplied.Mappings, m => m.Phrase == "--accounts");
        Assert.Contains("WHERE account = '999999999999'\n", named.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("111122223333", named.Sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("11112222333a")]
    [InlineData("1111222233334")]
    public void Translate_AccountsOptionNotTwelveDigits_Rejected(string account)
    {
        var error = Assert.Throws<ArgumentException>(() => QuestionTranslator.Translate("count by service", s_now, AskDialect.Athena, accounts: [account]));

        Assert.Contains($"'{account}' is not a 12-digit account id", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yesterday", "year = '2026' AND month = '11' AND day = '24'")]
    [InlineData("on 2026-10-31", "year = '2026' AND month = '10' AND day = '31'")]
    [InlineData("last 15 minutes", "year = '2026' AND month = '11' AND day IN ('25', '26')")]
    [InlineData("in the last 7 days", "year = '2026' AND month = '11' AND day IN ('18', '19', '20', '21', '22', '23', '24', '25', '26')")]
    [InlineData("last month", "year = '2026' AND month = '10'")]
    [InlineData("between 2026-09-30 and 2026-10-02", "((year = '2026' AND month = '09' AND day = '30')\n    OR (year = '2026' AND month = '10' AND day IN ('01', '02')))")]
    [InlineData("between 2025-12-31 and 2026-01-01", "((year = '2025' AND month = '12' AND day = '31')\n    OR (year = '2026' AND month = '01' AND day = '01'))")]
    [InlineData("since 2026-01-15", "(year > '2026' OR (year = '2026' AND (month > '01' OR (month = '01' AND day >= '15'))))\n  AND (year < '2026' OR (year = '2026' AND (month < '11' OR (month = '11' AND day <= '26'))))")]
    [InlineData("before 2026-03-01", "(year < '2026' OR (year = '2026' AND (month < '02' OR (month = '02' AND day <= '28'))))")]
    [InlineData("since 2026-10-05 before 2026-10-01", "false")]
    public void Translate_TimePhrases_AlsoSelectTheirPartitionDays(string question, string partitions)
    {
        foreach (var dialect in new[] { AskDialect.DuckDb, AskDialect.Athena })
        {
            var translation = QuestionTranslator.Translate(question + " in account 111122223333", s_now, dialect);

            Assert.True(translation.Runnable, string.Join(",", translation.Unknown.Concat(translation.Missing)));
            Assert.Contains("\n  AND " + partitions + "\n", translation.Sql + "\n", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Translate_NoTimePhrase_NoPartitionCondition()
    {
        var sql = QuestionTranslator.Translate("how many events in account 111122223333", s_now, AskDialect.Athena).Sql;

        Assert.DoesNotContain("year", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_SameInput_SameOutput()
    {
        const string Question = "count failed iam calls by user in the last 24 hours";

        var first = QuestionTranslator.Translate(Question, s_now);
        var second = QuestionTranslator.Translate(Question, s_now);

        Assert.Equal(first.Sql, second.Sql);
        Assert.Equal(first.Mappings, second.Mappings);
    }

    [Theory]
    [InlineData("cloudtrail; DROP TABLE x")]
    [InlineData("a.b.c")]
    public void Translate_BadTableName_Rejected(string table)
    {
        Assert.Throws<ArgumentException>(() => QuestionTranslator.Translate("how many events", s_now, AskDialect.Athena, table));
    }
}
