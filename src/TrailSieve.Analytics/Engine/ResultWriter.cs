using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrailSieve.Analytics.Engine;

/// <summary>Prints a query result as an aligned table, CSV or JSON Lines.</summary>
public static class ResultWriter
{
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes every row of <paramref name="reader"/>; returns the row count.</summary>
    public static long Write(DbDataReader reader, ResultFormat format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        return format switch
        {
            ResultFormat.Csv => WriteCsv(reader, output),
            ResultFormat.Json => WriteJson(reader, output),
            _ => WriteTable(reader, output),
        };
    }

    /// <summary>A value as text: timestamps ISO 8601, structs and lists as JSON, NULL as empty.</summary>
    public static string Text(object? value) => value switch
    {
        null or DBNull => string.Empty,
        string s => s,
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IDictionary or IList => JsonText(value),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static long WriteTable(DbDataReader reader, TextWriter output)
    {
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var numeric = Enumerable.Range(0, reader.FieldCount).Select(i => IsNumeric(reader.GetFieldType(i))).ToArray();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            var row = new string[names.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = OneLine(Text(reader.IsDBNull(i) ? null : reader.GetValue(i)));
            }

            rows.Add(row);
        }

        var widths = names.Select((n, i) => Math.Min(80, rows.Select(r => r[i].Length).Append(n.Length).Max())).ToArray();
        output.WriteLine(Line(names, widths, new bool[names.Length]));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths, numeric));
        }

        output.WriteLine(rows.Count == 1 ? "(1 row)" : string.Create(CultureInfo.InvariantCulture, $"({rows.Count} rows)"));
        return rows.Count;
    }

    private static string Line(string[] cells, int[] widths, bool[] right)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].Length > widths[i] ? cells[i][..(widths[i] - 1)] + "…" : cells[i];
            line.Append(i > 0 ? " | " : string.Empty).Append(right[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
        }

        return line.ToString().TrimEnd();
    }

    private static long WriteCsv(DbDataReader reader, TextWriter output)
    {
        output.WriteLine(string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(i => Csv(reader.GetName(i)))));
        long rows = 0;
        while (reader.Read())
        {
            output.WriteLine(string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(i => Csv(Text(reader.IsDBNull(i) ? null : reader.GetValue(i))))));
            rows++;
        }

        return rows;
    }

    private static long WriteJson(DbDataReader reader, TextWriter output)
    {
        long rows = 0;
        using var buffer = new MemoryStream();
        while (reader.Read())
        {
            buffer.SetLength(0);
            using (var json = new Utf8JsonWriter(buffer, s_json))
            {
                json.WriteStartObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    json.WritePropertyName(reader.GetName(i));
                    WriteValue(json, reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                json.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            rows++;
        }

        return rows;
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long or int or short or sbyte or byte or ushort or uint or ulong or double or float or decimal:
                json.WriteRawValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case System.Numerics.BigInteger big:
                json.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                break;
            case IDictionary dictionary:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(json, entry.Value);
                }

                json.WriteEndObject();
                break;
            case IList list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Text(value));
                break;
        }
    }

    private static string JsonText(object value)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            WriteValue(json, value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string OneLine(string value) => value.ReplaceLineEndings(" ");

    private static bool IsNumeric(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(double) || type == typeof(decimal) || type == typeof(float)
        || type == typeof(short) || type == typeof(ulong) || type == typeof(System.Numerics.BigInteger) || type == typeof(uint);
}
