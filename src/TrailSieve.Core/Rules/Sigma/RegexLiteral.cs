using System.Text;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>
/// The longest run of ASCII characters every match of a case-sensitive regex must contain, so a value without it is
/// refused by one byte search instead of a run of the regex engine (SigmaHQ's <c>.+:assumed-role/aws:.+</c> is read on
/// every record's <c>userIdentity.arn</c>). Only simple patterns are read: one with a group or an alternation, a
/// <c>{</c> quantifier, or an escape that takes an argument has no literal here, and is always run.
/// </summary>
internal static class RegexLiteral
{
    /// <summary>The shortest literal worth a search: one or two characters would rule out almost nothing.</summary>
    private const int MinimumLength = 3;

    /// <summary>The required literal of <paramref name="pattern"/> as UTF-8, or null when none is found or it is too short.</summary>
    public static byte[]? Required(string pattern)
    {
        if (pattern.AsSpan().IndexOfAny("|(){") >= 0)
        {
            return null;
        }

        var best = "";
        var run = new StringBuilder();
        for (var i = 0; i < pattern.Length;)
        {
            char? literal = null;
            var c = pattern[i];
            switch (c)
            {
                case '\\' when i + 1 < pattern.Length:
                    var escaped = pattern[i + 1];
                    if (char.IsAsciiLetterOrDigit(escaped))
                    {
                        if (escaped is 'x' or 'u' or 'p' or 'P' or 'k' or 'c' or (>= '0' and <= '9'))
                        {
                            return null;
                        }

                        // \d, \w, \s, \b, \n, \t...: a class, an anchor or a control character; the run ends.
                    }
                    else if (escaped < 0x80)
                    {
                        literal = escaped;
                    }

                    i += 2;
                    break;
                case '\\':
                    return null;
                case '[':
                    i = AfterClass(pattern, i);
                    if (i < 0)
                    {
                        return null;
                    }

                    break;
                case '.' or '^' or '$' or '*' or '+' or '?':
                    i++;
                    break;
                default:
                    if (c < 0x80)
                    {
                        literal = c;
                    }

                    i++;
                    break;
            }

            if (literal is not { } ch)
            {
                Close(run, ref best);
                continue;
            }

            // A quantifier after the character: ? and * make it optional; + keeps it but may repeat it.
            var next = i < pattern.Length ? pattern[i] : '\0';
            if (next is '?' or '*')
            {
                Close(run, ref best);
            }
            else if (next == '+')
            {
                run.Append(ch);
                Close(run, ref best);
            }
            else
            {
                run.Append(ch);
            }
        }

        Close(run, ref best);
        return best.Length >= MinimumLength ? Encoding.ASCII.GetBytes(best) : null;
    }

    private static void Close(StringBuilder run, ref string best)
    {
        if (run.Length > best.Length)
        {
            best = run.ToString();
        }

        run.Clear();
    }

    /// <summary>The index after the character class opening at <paramref name="open"/>, or -1 when it does not close.</summary>
    private static int AfterClass(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        // A ']' first in the class is a member, not its end.
        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ']')
            {
                return i + 1;
            }
        }

        return -1;
    }
}
