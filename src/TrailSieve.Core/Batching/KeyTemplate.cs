using System.Globalization;
using System.Text;

namespace TrailSieve.Core.Batching;

/// <summary>
/// A batch output key template such as
/// <c>{prefix}AWSLogs/{account}/CloudTrail/{region}/{yyyy}/{MM}/{dd}/{account}_CloudTrail_{region}_{yyyyMMddTHHmmZ}_{id}.json.gz</c>.
/// Parsed once; unknown placeholders are rejected at start, not discovered at the first flush.
/// </summary>
public sealed class KeyTemplate
{
    private static readonly HashSet<string> s_placeholders =
        new(StringComparer.Ordinal) { "prefix", "account", "region", "yyyy", "MM", "dd", "yyyyMMddTHHmmZ", "id" };

    private readonly List<(bool IsPlaceholder, string Text)> _parts = [];

    public KeyTemplate(string template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                _parts.Add((false, template[i..]));
                break;
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new FormatException($"key template '{template}': '{{' at {open} is not closed");
            }

            if (open > i)
            {
                _parts.Add((false, template[i..open]));
            }

            var name = template[(open + 1)..close];
            if (!s_placeholders.Contains(name))
            {
                throw new FormatException($"key template '{template}': unknown placeholder {{{name}}}; known: {string.Join(", ", s_placeholders.Select(p => "{" + p + "}"))}");
            }

            _parts.Add((true, name));
            i = close + 1;
        }

        if (!_parts.Any(p => p.IsPlaceholder && p.Text == "id"))
        {
            throw new FormatException($"key template '{template}' needs {{id}}: without it two batches of one partition would overwrite each other");
        }
    }

    public string Render(string prefix, PartitionKey partition, DateTimeOffset createdAt, string id)
    {
        var builder = new StringBuilder(128);
        foreach (var (isPlaceholder, text) in _parts)
        {
            if (!isPlaceholder)
            {
                builder.Append(text);
                continue;
            }

            builder.Append(text switch
            {
                "prefix" => prefix,
                "account" => partition.Account,
                "region" => partition.Region,
                "yyyy" => partition.Day.Year.ToString("D4", CultureInfo.InvariantCulture),
                "MM" => partition.Day.Month.ToString("D2", CultureInfo.InvariantCulture),
                "dd" => partition.Day.Day.ToString("D2", CultureInfo.InvariantCulture),
                "yyyyMMddTHHmmZ" => createdAt.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture),
                _ => id,
            });
        }

        return builder.ToString();
    }
}
