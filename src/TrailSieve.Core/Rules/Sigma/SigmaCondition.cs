namespace TrailSieve.Core.Rules.Sigma;

/// <summary>
/// Parses a Sigma <c>condition</c> over the rule's named selections: <c>and</c>, <c>or</c>, <c>not</c> (any case;
/// <c>not</c> binds tightest, then <c>and</c>, then <c>or</c>), parentheses, <c>1 of x*</c> / <c>all of x*</c> (a name or
/// a wildcard pattern over the names) and <c>1 of them</c> / <c>all of them</c> (every selection whose name does not
/// start with <c>_</c>). The old aggregation syntax (<c>| count() by x</c>) is refused with a pointer to correlation
/// rules.
/// </summary>
internal sealed class SigmaCondition
{
    private readonly List<string> _tokens;
    private readonly IReadOnlyDictionary<string, SigmaExpression> _selections;
    private readonly IReadOnlyList<string> _names;
    private readonly HashSet<string> _used;
    private int _position;

    private SigmaCondition(List<string> tokens, IReadOnlyDictionary<string, SigmaExpression> selections, IReadOnlyList<string> names, HashSet<string> used)
    {
        _tokens = tokens;
        _selections = selections;
        _names = names;
        _used = used;
    }

    /// <summary>The expression of <paramref name="condition"/>, or null with the reason in <paramref name="problem"/>.</summary>
    /// <param name="condition">The condition as written.</param>
    /// <param name="selections">The rule's selections by name.</param>
    /// <param name="names">The selection names in file order.</param>
    /// <param name="used">Receives the names the condition refers to.</param>
    /// <param name="problem">Why the condition does not parse, or null.</param>
    public static SigmaExpression? TryParse(string condition, IReadOnlyDictionary<string, SigmaExpression> selections, IReadOnlyList<string> names, HashSet<string> used, out string? problem)
    {
        problem = null;
        if (condition.Contains('|', StringComparison.Ordinal))
        {
            problem = "aggregations in the condition ('| count() ...') are not supported: write a correlation rule (correlation: type: event_count)";
            return null;
        }

        var tokens = Tokenize(condition);
        if (tokens.Count == 0)
        {
            problem = "the condition is empty";
            return null;
        }

        var parser = new SigmaCondition(tokens, selections, names, used);
        try
        {
            var expression = parser.ParseOr();
            if (parser._position < tokens.Count)
            {
                problem = $"unexpected '{tokens[parser._position]}' at word {parser._position + 1}";
                return null;
            }

            return expression;
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    private static List<string> Tokenize(string condition)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= condition.Length; i++)
        {
            var c = i < condition.Length ? condition[i] : ' ';
            if (char.IsWhiteSpace(c) || c is '(' or ')')
            {
                if (start >= 0)
                {
                    tokens.Add(condition[start..i]);
                    start = -1;
                }

                if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        return tokens;
    }

    private string? Peek => _position < _tokens.Count ? _tokens[_position] : null;

    private bool TakeWord(string word)
    {
        if (Peek is { } token && token.Equals(word, StringComparison.OrdinalIgnoreCase))
        {
            _position++;
            return true;
        }

        return false;
    }

    private SigmaExpression ParseOr()
    {
        var items = new List<SigmaExpression> { ParseAnd() };
        while (TakeWord("or"))
        {
            items.Add(ParseAnd());
        }

        return items.Count == 1 ? items[0] : new SigmaExpression.Or([.. items]);
    }

    private SigmaExpression ParseAnd()
    {
        var items = new List<SigmaExpression> { ParseNot() };
        while (TakeWord("and"))
        {
            items.Add(ParseNot());
        }

        return items.Count == 1 ? items[0] : new SigmaExpression.And([.. items]);
    }

    private SigmaExpression ParseNot() => TakeWord("not") ? new SigmaExpression.Not(ParseNot()) : ParsePrimary();

    private SigmaExpression ParsePrimary()
    {
        var token = Peek ?? throw new FormatException("the condition ends where a selection, 'not' or '(' was expected");
        if (token == "(")
        {
            _position++;
            var inner = ParseOr();
            if (Peek != ")")
            {
                throw new FormatException(Peek is null ? "a '(' is not closed" : $"expected ')' but found '{Peek}'");
            }

            _position++;
            return inner;
        }

        if (token == ")")
        {
            throw new FormatException("unexpected ')'");
        }

        if (token is "and" or "or" || token.Equals("and", StringComparison.OrdinalIgnoreCase) || token.Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{token}' needs a selection before it");
        }

        if ((token == "1" || token.Equals("all", StringComparison.OrdinalIgnoreCase) || token.Equals("any", StringComparison.OrdinalIgnoreCase))
            && _position + 1 < _tokens.Count && _tokens[_position + 1].Equals("of", StringComparison.OrdinalIgnoreCase))
        {
            var all = token.Equals("all", StringComparison.OrdinalIgnoreCase);
            _position += 2;
            var target = Peek ?? throw new FormatException($"'{token} of' needs a selection name, a pattern or 'them'");
            _position++;
            var matched = Resolve(target, token);
            if (matched.Count == 1)
            {
                return matched[0];
            }

            return all ? new SigmaExpression.And([.. matched]) : new SigmaExpression.Or([.. matched]);
        }

        if (_position + 1 < _tokens.Count && _tokens[_position + 1].Equals("of", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{token} of' is not supported: use '1 of' or 'all of'");
        }

        _position++;
        if (!_selections.TryGetValue(token, out var selection))
        {
            throw new FormatException($"'{token}' is not a selection of this rule (it has: {string.Join(", ", _names)})");
        }

        _used.Add(token);
        return selection;
    }

    private List<SigmaExpression> Resolve(string target, string quantifier)
    {
        var matched = new List<SigmaExpression>();
        if (target.Equals("them", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var name in _names)
            {
                if (!name.StartsWith('_'))
                {
                    matched.Add(_selections[name]);
                    _used.Add(name);
                }
            }

            if (matched.Count == 0)
            {
                throw new FormatException($"'{quantifier} of them' has no selection to refer to");
            }

            return matched;
        }

        var pattern = SigmaPattern.Create(target, leading: false, trailing: false, cased: true);
        foreach (var name in _names)
        {
            if (pattern.IsMatch(name))
            {
                matched.Add(_selections[name]);
                _used.Add(name);
            }
        }

        if (matched.Count == 0)
        {
            throw new FormatException($"'{quantifier} of {target}' matches no selection of this rule (it has: {string.Join(", ", _names)})");
        }

        return matched;
    }
}
