namespace TrailSieve.Worker.Options;

/// <summary>
/// One thing wrong with the configuration: the setting (<c>Section:Key</c>, or the environment variable that
/// provides it), what is wrong, and what would be accepted. Printed as one line by <see cref="ConfigurationErrors"/>.
/// </summary>
internal sealed record ConfigurationProblem(string Setting, string Problem, string? Accepted = null)
{
    /// <summary>
    /// A validator's failure text, <c>Setting: problem</c> (the form every <c>ValidateRelations</c> yields), as a
    /// problem, with its <c>; accepted: values</c> tail when it has one; text without a setting in front is kept whole
    /// under <paramref name="fallbackSetting"/>.
    /// </summary>
    public static ConfigurationProblem Parse(string failure, string fallbackSetting)
    {
        ArgumentNullException.ThrowIfNull(failure);
        const string AcceptedMarker = "; accepted: ";
        var accepted = failure.LastIndexOf(AcceptedMarker, StringComparison.Ordinal);
        var (text, values) = accepted > 0 ? (failure[..accepted], failure[(accepted + AcceptedMarker.Length)..]) : (failure, null);
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !text.AsSpan(0, colon).Contains(' ')
            ? new ConfigurationProblem(text[..colon], text[(colon + 2)..], values)
            : new ConfigurationProblem(fallbackSetting, text, values);
    }

    public override string ToString() => Accepted is null ? $"{Setting}: {Problem}" : $"{Setting}: {Problem}; accepted: {Accepted}";
}
