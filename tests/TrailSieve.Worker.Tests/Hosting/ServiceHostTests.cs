using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using TrailSieve.Worker.Hosting;

namespace TrailSieve.Worker.Tests.Hosting;

public sealed class ServiceHostTests
{
    [Theory]
    [InlineData(null, null, ConsoleFormatterNames.Simple)]
    [InlineData("json", null, ConsoleFormatterNames.Json)]
    [InlineData(null, "json", ConsoleFormatterNames.Json)]
    [InlineData(null, "JSON", ConsoleFormatterNames.Json)]
    [InlineData("simple", null, ConsoleFormatterNames.Simple)]
    public void Build_LogFormat_PicksTheConsoleFormatter(string? configured, string? environment, string formatter)
    {
        var settings = new Dictionary<string, string?>();
        if (configured is not null)
        {
            settings["Logging:Format"] = configured;
        }

        using var host = ServiceHost.Build(settings, name => name == "TRAILSIEVE_LOG_FORMAT" ? environment : null);

        Assert.Equal(formatter, host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}
