using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace TrailSieve.Worker.Options;

/// <summary>
/// Binds an options section the way the configuration binder does, but reports what it cannot use instead of
/// throwing at the first value: a value that does not convert (<c>Output:Mode=foo</c>, <c>Sqs:VisibilityTimeout=5x</c>)
/// and each DataAnnotations failure become a <see cref="ConfigurationProblem"/> naming the setting and the accepted
/// values. The binder's own exception names neither the accepted values nor, clearly, the setting.
/// </summary>
internal static class SectionBinder
{
    /// <summary>The section bound to a new <typeparamref name="T"/>, or null when a value does not convert; every problem is added to <paramref name="problems"/>.</summary>
    public static T? TryBind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(
        IConfiguration configuration, string section, ICollection<ConfigurationProblem> problems)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && configuration[$"{section}:{property.Name}"] is { } text && Unconvertible(property.PropertyType, text) is { } problem)
            {
                problems.Add(problem with { Setting = $"{section}:{property.Name}" });
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // A shape the checks above do not know (a collection's element, say): the binder's first line names it.
            problems.Add(new ConfigurationProblem(section, ex.Message));
            return null;
        }

        Validate(section, options, problems);
        return options;
    }

    /// <summary>The DataAnnotations (and <see cref="IValidatableObject"/>) failures of <paramref name="options"/>, each naming its setting and the accepted range.</summary>
    public static void Validate<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string section, T options, ICollection<ConfigurationProblem> problems)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return;
        }

        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            var property = member is null ? null : typeof(T).GetProperty(member);
            var setting = member is null ? section : $"{section}:{member}";
            if (property?.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                problems.Add(new ConfigurationProblem(setting, $"{Format(property.GetValue(options))} is out of range", $"{range.Minimum} to {range.Maximum}"));
            }
            else if (property?.GetCustomAttribute<RequiredAttribute>() is not null && string.IsNullOrWhiteSpace(property.GetValue(options) as string))
            {
                problems.Add(new ConfigurationProblem(setting, "is required"));
            }
            else
            {
                problems.Add(ConfigurationProblem.Parse(result.ErrorMessage ?? "is invalid", setting));
            }
        }
    }

    /// <summary>Why <paramref name="text"/> cannot be a <paramref name="type"/>, or null when it can (or the type is not a scalar the binder converts).</summary>
    public static ConfigurationProblem? Unconvertible(Type type, string text)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(text);
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum)
        {
            return Enum.TryParse(target, text, ignoreCase: true, out var value) && Enum.IsDefined(target, value!)
                ? null
                : new ConfigurationProblem(string.Empty, $"'{text}' is not supported", string.Join(", ", Enum.GetNames(target).Select(n => n.ToLowerInvariant())));
        }

        if (target == typeof(string) || (text.Length == 0 && target != type))
        {
            return null;
        }

        if (target == typeof(TimeSpan))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out _)
                ? null
                : new ConfigurationProblem(string.Empty, $"'{text}' is not a duration", "[d.]hh:mm:ss[.fff], e.g. 00:00:30 or 00:05:00");
        }

        var converter = TypeDescriptor.GetConverter(target);
        if (!converter.CanConvertFrom(typeof(string)))
        {
            return null;
        }

        try
        {
            _ = converter.ConvertFromInvariantString(text);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return new ConfigurationProblem(string.Empty, $"'{text}' is not a valid {Describe(target)}", Accepted(target));
        }
    }

    private static string Describe(Type type) =>
        type == typeof(bool) ? "boolean" : type == typeof(int) || type == typeof(long) ? "whole number" : type.Name;

    private static string? Accepted(Type type) => type == typeof(bool) ? "true, false" : null;

    private static string Format(object? value) => value switch
    {
        null => "(empty)",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(empty)",
    };
}
