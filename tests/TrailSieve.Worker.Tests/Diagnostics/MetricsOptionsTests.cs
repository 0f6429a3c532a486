using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Diagnostics;

public class MetricsOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new MetricsOptions();

        var result = new MetricsOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.True(options.Enabled);
        Assert.Equal("TrailSieve", options.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(60), options.FlushInterval);
        Assert.Empty(options.Dimensions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00:00:00.500")]
    [InlineData("01:00:01")]
    [InlineData("_aws")]
    [InlineData(":Mode")]
    [InlineData("blank value")]
    [InlineData("too many")]
    [InlineData("long namespace")]
    public void Validate_OutOfRange_Fails(string change)
    {
        var options = new MetricsOptions();
        switch (change)
        {
            case "": options.Namespace = ""; break;
            case "long namespace": options.Namespace = new string('n', 256); break;
            case "_aws": options.Dimensions["_aws"] = "x"; break;
            case ":Mode": options.Dimensions[":Mode"] = "x"; break;
            case "blank value": options.Dimensions["Mode"] = " "; break;
            case "too many":
                for (var i = 0; i <= MetricsOptions.MaxFixedDimensions; i++)
                {
                    options.Dimensions[$"D{i}"] = "x";
                }

                break;
            default: options.FlushInterval = TimeSpan.Parse(change, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var result = new MetricsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
    }
}
