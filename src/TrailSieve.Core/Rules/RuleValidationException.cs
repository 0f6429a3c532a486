namespace TrailSieve.Core.Rules;

/// <summary>A rule file failed to load; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class RuleValidationException : Exception
{
    /// <summary>Creates the exception with a generic message and no errors.</summary>
    public RuleValidationException()
        : this("Rule validation failed.", [])
    {
    }

    /// <summary>Creates the exception with one error, which is also the message.</summary>
    public RuleValidationException(string message)
        : this(message, [message])
    {
    }

    /// <summary>Creates the exception with one error caused by <paramref name="innerException"/>.</summary>
    public RuleValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with a summary message and every error found.</summary>
    public RuleValidationException(string message, IReadOnlyList<string> errors)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
    }

    /// <summary>Every problem found, each naming the rule (name or index) and the field.</summary>
    public IReadOnlyList<string> Errors { get; }

    internal static RuleValidationException Create(string sourceName, IReadOnlyList<string> errors)
    {
        var text = new System.Text.StringBuilder();
        text.Append(sourceName).Append(": ").Append(errors.Count).Append(errors.Count == 1 ? " error" : " errors");
        foreach (var error in errors)
        {
            text.Append('\n').Append("  - ").Append(error);
        }

        return new RuleValidationException(text.ToString(), errors);
    }
}
