using System.Globalization;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Ask;

/// <summary>Writes a <see cref="QuestionModel"/> as SQL for the local view or the Athena table.</summary>
internal static class SqlBuilder
{
    /// <summary>Rows a list returns when the question names no number.</summary>
    public const int DefaultListLimit = 50;

    public static string Build(QuestionModel model, AskDialect dialect, string table, DateTime now)
    {
        var athena = dialect == AskDialect.Athena;
        var principal = athena ? CloudTrailView.Principal : "principal";
        var where = Conditions(model, athena, principal, now);
        var from = $"FROM {table}" + (where.Count > 0 ? "\nWHERE " + string.Join("\n  AND ", where) : string.Empty);
        switch (model.Shape)
        {
            case QuestionShape.Count when model.GroupBy is null:
                return $"SELECT count(*) AS events\n{from}";
            case QuestionShape.Count or QuestionShape.CountBy or QuestionShape.Top when model.GroupBy is { } dimension:
                var (expression, name) = Column(dimension, athena, principal);
                var order = dimension == Dimension.Day ? $"{name}" : $"events DESC, {name}";
                var limit = model.Shape == QuestionShape.Top ? model.Limit ?? 10 : model.Limit;
                return $"SELECT {(expression == name ? name : $"{expression} AS {name}")}, count(*) AS events\n{from}\nGROUP BY 1\nORDER BY {order}" + (limit is { } n ? $"\nLIMIT {n.ToString(CultureInfo.InvariantCulture)}" : string.Empty);
            case QuestionShape.Top:
                // "top 5" with no dimension: the five newest events
                return List(model, from, principal, model.Limit ?? 10);
            default:
                return List(model, from, principal, model.Limit ?? DefaultListLimit);
        }
    }

    private static string List(QuestionModel model, string from, string principal, int limit) =>
        $"SELECT eventtime, account, region, eventsource, eventname, {(principal == "principal" ? principal : principal + " AS principal")}, sourceipaddress, errorcode\n{from}\nORDER BY eventtime DESC, eventid\nLIMIT {limit.ToString(CultureInfo.InvariantCulture)}";

    private static List<string> Conditions(QuestionModel model, bool athena, string principal, DateTime now)
    {
        var where = new List<string>();
        In(where, "eventsource", model.Services.Distinct().Select(s => s + ".amazonaws.com"));
        var events = model.Events.Concat(model.ConsoleLogin ? ["ConsoleLogin"] : []).Distinct().ToList();
        In(where, "eventname", events);
        In(where, principal, model.Principals.Distinct());
        In(where, athena ? "useridentity.sessioncontext.sessionissuer.username" : "useridentity_sessionissuer_username", model.Roles.Distinct());
        In(where, "sourceipaddress", model.SourceIps.Distinct());
        In(where, "region", model.Regions.Distinct());
        In(where, "account", model.Accounts.Distinct());
        if (model.From is { } since)
        {
            where.Add($"{Time(athena)} >= {Timestamp(since, athena)}");
        }

        if (model.Until is { } until)
        {
            where.Add($"{Time(athena)} < {Timestamp(until, athena)}");
        }

        // The same range on the partition columns: Athena reads only those days' partitions.
        if (PartitionRange.Of(model.From, model.Until, now) is { } days)
        {
            where.Add(days.Condition());
        }

        var login = JsonText("responseelements", "$.ConsoleLogin", athena);
        if (model.Failed)
        {
            where.Add(model.ConsoleLogin ? $"(errorcode IS NOT NULL OR {login} = 'Failure')" : "errorcode IS NOT NULL");
        }

        if (model.Denied)
        {
            where.Add("(errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%Unauthorized%' OR errorcode LIKE '%Forbidden%')");
        }

        if (model.Succeeded)
        {
            where.Add(model.ConsoleLogin ? $"errorcode IS NULL AND {login} = 'Success'" : "errorcode IS NULL");
        }

        if (model.Root)
        {
            where.Add((athena ? "useridentity.type" : "useridentity_type") + " = 'Root'");
        }

        if (model.Mfa is { } mfa)
        {
            where.Add($"{JsonText("additionaleventdata", "$.MFAUsed", athena)} = '{(mfa ? "Yes" : "No")}'");
        }

        if (model.ReadOnly is { } readOnly)
        {
            where.Add($"readonly = '{(readOnly ? "true" : "false")}'");
        }

        return where;
    }

    private static void In(List<string> where, string column, IEnumerable<string> values)
    {
        var list = values.ToList();
        if (list.Count == 1)
        {
            where.Add($"{column} = {Sql.Literal(list[0])}");
        }
        else if (list.Count > 1)
        {
            where.Add($"{column} IN ({string.Join(", ", list.Select(Sql.Literal))})");
        }
    }

    private static (string Expression, string Name) Column(Dimension dimension, bool athena, string principal) => dimension switch
    {
        Dimension.Principal => (principal, "principal"),
        Dimension.Service => ("eventsource", "eventsource"),
        Dimension.Event => ("eventname", "eventname"),
        Dimension.SourceIp => ("sourceipaddress", "sourceipaddress"),
        Dimension.Region => ("region", "region"),
        Dimension.Account => ("account", "account"),
        Dimension.ErrorCode => ("errorcode", "errorcode"),
        _ => (athena ? "date(from_iso8601_timestamp(eventtime))" : "CAST(eventtime AS DATE)", "event_date"),
    };

    private static string Time(bool athena) => athena ? "from_iso8601_timestamp(eventtime)" : "eventtime";

    private static string Timestamp(DateTime time, bool athena) => athena
        ? $"from_iso8601_timestamp('{time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}')"
        : $"TIMESTAMP '{time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'";

    private static string JsonText(string column, string path, bool athena) =>
        athena ? $"json_extract_scalar({column}, '{path}')" : $"json_extract_string({column}, '{path}')";
}
