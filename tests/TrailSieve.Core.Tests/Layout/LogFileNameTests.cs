using TrailSieve.Core.Layout;

namespace TrailSieve.Core.Tests.Layout;

public sealed class LogFileNameTests
{
    [Theory]
    [InlineData("111122223333_CloudTrail_us-east-1_20260301T0905Z_AbCdEfGh12345678.json.gz", "2026-03-01T09:05:00Z")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/01/111122223333_CloudTrail_eu-west-1_20260301T2355Z_x.json.gz", "2026-03-01T23:55:00Z")]
    [InlineData("/data/218007301253_CloudTrail_us-east-1_20230710T1220Z_WMiHxZgr5Hdd6UDc.json", "2023-07-10T12:20:00Z")] // an unpacked delivery
    [InlineData("056392974792_CloudTrail_sagov-westsouth-1r_20240730T2130Z_79RlfjR4AmPl0YFM.JSON.GZ", "2024-07-30T21:30:00Z")]
    [InlineData("111122223333_CloudTrail_us-gov-west-1_20250101T0000Z_x.json.gz", "2025-01-01T00:00:00Z")]
    public void TryParseTime_CloudTrailLogFileName_ReturnsTheDeliveryTimestamp(string path, string expected)
    {
        // Given the name CloudTrail gives a log file
        // When its timestamp is read
        var parsed = LogFileName.TryParseTime(path, out var time);

        // Then it is the UTC minute in the name
        Assert.True(parsed);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData("notes.json")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/notes.txt")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/111122223333_CloudTrail_eu-west-1_2026010_x.json.gz")] // 7 digits
    [InlineData("111122223333_CloudTrail_eu-west-1")]
    [InlineData("a.json.gz")]
    [InlineData("111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20260301T090512Z.json.gz")] // a digest
    [InlineData("111122223333_CloudTrail-Insight_us-east-1_20260301T0905Z_AbCd.json.gz")] // Insights
    [InlineData("11112222333_CloudTrail_us-east-1_20260301T0905Z_AbCd.json.gz")] // 11-digit account
    [InlineData("111122223333_CloudTrail_us-east-1_20261301T0905Z_AbCd.json.gz")] // month 13
    [InlineData("111122223333_CloudTrail_us-east-1_20260301T0905_AbCd.json.gz")] // no Z
    [InlineData("111122223333_CloudTrail_us-east-1_20260301T0905Z_AbCd.txt")]
    [InlineData("111122223333_CloudTrail_us-east-1_20260301T0905Z_Ab_Cd.json.gz")] // one part too many
    [InlineData("111122223333_CloudTrail_us-east-1_20260301T0905Z_.json.gz")] // no id
    public void TryParseTime_OtherName_IsFalse(string path)
    {
        // Given a file name that is not a CloudTrail log file's
        // When its timestamp is read
        // Then there is none
        Assert.False(LogFileName.TryParseTime(path, out _));
    }
}
