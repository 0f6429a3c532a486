using System.ComponentModel.DataAnnotations;

namespace TrailSieve.Worker.Cli;

/// <summary>Applies the options classes' DataAnnotations to values that came from the command line.</summary>
internal static class OptionsCheck
{
    public static bool TryValidate(TextWriter error, params object[] options)
    {
        var ok = true;
        foreach (var instance in options)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    error.WriteLine($"invalid option: {result.ErrorMessage}");
                }

                ok = false;
            }
        }

        return ok;
    }
}
