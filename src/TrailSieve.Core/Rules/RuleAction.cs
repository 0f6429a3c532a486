namespace TrailSieve.Core.Rules;

/// <summary>What a rule (or the rule set's <c>default_action</c>) does with a record.</summary>
public enum RuleAction
{
    /// <summary>Keep the record.</summary>
    Keep,

    /// <summary>Drop the record.</summary>
    Drop,

    /// <summary>Keep the record and report it as a tag hit (a finding holding a copy of it goes to the findings output).</summary>
    Tag,
}
