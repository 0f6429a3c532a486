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
    public void Translate_Athena_ValidAthenaFunctionsAndTable()
    {
        var sql = QuestionTranslator.Translate("top 5 users by failed console logins without mfa as root yesterday", s_now, AskDialect.Athena, "security.cloudtrail").Sql;

        Assert.Equal(
            """
            SELECT COALESCE(useridentity.userName, useridentity.sessionContext.sessionIssuer.userName, useridentity.invokedBy, useridentity."type") AS principal, count(*) AS events
            FROM security.cloudtrail
            WHERE eventname = 'ConsoleLogin'
              AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('2026-11-24T00:00:00Z')
              AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp('2026-11-25T00:00:00Z')
              AND (errorcode IS NOT NULL OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')
              AND useridentity.type = 'Root'
              AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
            GROUP BY 1
            ORDER BY events DESC, principal
            LIMIT 5
            """.ReplaceLineEndings("\n"),
            sql);
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
