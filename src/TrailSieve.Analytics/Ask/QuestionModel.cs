namespace TrailSieve.Analytics.Ask;

/// <summary>A question as understood: the shape and every filter, before it becomes SQL.</summary>
internal sealed class QuestionModel
{
    public QuestionShape Shape { get; set; } = QuestionShape.List;

    public Dimension? GroupBy { get; set; }

    public int? Limit { get; set; }

    public List<string> Services { get; } = [];

    public List<string> Events { get; } = [];

    public List<string> Principals { get; } = [];

    public List<string> Roles { get; } = [];

    public List<string> SourceIps { get; } = [];

    public List<string> Regions { get; } = [];

    public List<string> Accounts { get; } = [];

    public DateTime? From { get; set; }

    public DateTime? Until { get; set; }

    public bool Failed { get; set; }

    public bool Denied { get; set; }

    public bool Succeeded { get; set; }

    public bool Root { get; set; }

    public bool ConsoleLogin { get; set; }

    public bool? Mfa { get; set; }

    public bool? ReadOnly { get; set; }
}
