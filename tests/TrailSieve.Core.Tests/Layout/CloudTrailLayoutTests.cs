using TrailSieve.Core.Layout;

namespace TrailSieve.Core.Tests.Layout;

public sealed class CloudTrailLayoutTests
{
    [Theory]
    [InlineData("", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs/", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("trail/AWSLogs/o-abc123defg/", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs/111122223333/", LayoutLevel.Account, "111122223333", null, "AWSLogs/111122223333/")]
    [InlineData("AWSLogs/111122223333/CloudTrail/", LayoutLevel.Account, "111122223333", null, "AWSLogs/111122223333/")]
    [InlineData("x/AWSLogs/o-abc123defg/111122223333/CloudTrail/eu-west-1/", LayoutLevel.Region, "111122223333", "eu-west-1", "x/AWSLogs/o-abc123defg/111122223333/")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1", LayoutLevel.Region, "111122223333", "eu-west-1", "AWSLogs/111122223333/")]
    [InlineData("111122223333/", LayoutLevel.Account, "111122223333", null, "111122223333/")]
    [InlineData("logs/111122223333/AWSLogs/", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs/111122223333/CloudTrail-Digest/", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/", LayoutLevel.Year, "111122223333", "eu-west-1", "AWSLogs/111122223333/")]
    [InlineData("AWSLogs/o-abc123defg/111122223333/CloudTrail/eu-west-1/2026/01/", LayoutLevel.Month, "111122223333", "eu-west-1", "AWSLogs/o-abc123defg/111122223333/")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/02/28", LayoutLevel.Day, "111122223333", "eu-west-1", "AWSLogs/111122223333/")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/13/", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/02/30/", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/26/", LayoutLevel.AboveAccounts, null, null, null)]
    [InlineData("AWSLogs/111122223333/CloudTrail/Europe/2026/", LayoutLevel.AboveAccounts, null, null, null)]
    public void Locate_reads_where_a_prefix_ends(string prefix, LayoutLevel level, string? account, string? region, string? accountPrefix)
    {
        var position = CloudTrailLayout.Locate(prefix);

        Assert.Equal(level, position.Level);
        Assert.Equal(account, position.Account);
        Assert.Equal(region, position.Region);
        Assert.Equal(accountPrefix, position.AccountPrefix);
    }

    [Theory]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/", "2026-01-01", "2027-01-01")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/", "2024-02-01", "2024-03-01")]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2025/12/31/", "2025-12-31", "2026-01-01")]
    public void Locate_a_date_prefix_gives_the_days_it_covers_end_exclusive(string prefix, string from, string to)
    {
        var position = CloudTrailLayout.Locate(prefix);

        Assert.Equal(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), position.From);
        Assert.Equal(DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), position.To);
        Assert.Equal("AWSLogs/111122223333/CloudTrail/eu-west-1/", position.RegionPrefix);
    }

    [Fact]
    public void Locate_above_a_date_gives_no_days()
    {
        Assert.Null(CloudTrailLayout.Locate("AWSLogs/111122223333/CloudTrail/eu-west-1/").From);
        Assert.Null(CloudTrailLayout.Locate("AWSLogs/").To);
    }

    [Theory]
    [InlineData("us-east-1", true)]
    [InlineData("ap-southeast-3", true)]
    [InlineData("us-gov-west-1", true)]
    [InlineData("eu-west", false)]
    [InlineData("EU-WEST-1", false)]
    [InlineData("2026", false)]
    [InlineData("us-east-1a", false)]
    public void IsRegion_accepts_region_names_only(string name, bool expected) => Assert.Equal(expected, CloudTrailLayout.IsRegion(name));

    [Theory]
    [InlineData("o-abc123defg", true)]
    [InlineData("o-abc", false)]
    [InlineData("o-ABC123DEFG", false)]
    [InlineData("org-abc123defg", false)]
    public void IsOrganizationId_follows_the_organizations_id_pattern(string name, bool expected) =>
        Assert.Equal(expected, CloudTrailLayout.IsOrganizationId(name));

    [Fact]
    public void Day_prefixes_and_ranges_are_zero_padded_and_end_exclusive()
    {
        var days = CloudTrailLayout.Days(new DateOnly(2026, 1, 30), new DateOnly(2026, 2, 2)).ToList();

        Assert.Equal([new DateOnly(2026, 1, 30), new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 1)], days);
        Assert.Equal(
            "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/02/01/",
            CloudTrailLayout.DayPrefix(CloudTrailLayout.RegionPrefix("AWSLogs/111122223333/", "eu-west-1"), days[2]));
        Assert.Equal("111122223333/eu-west-1/2026-02-01", new TrailPartition("111122223333", "eu-west-1", days[2], "p/").Id);
    }

    [Theory]
    [InlineData("a/b/c/", "c")]
    [InlineData("c/", "c")]
    [InlineData("a/b", "b")]
    public void LastSegment_names_a_listed_folder(string folder, string expected) => Assert.Equal(expected, CloudTrailLayout.LastSegment(folder));

    [Theory]
    [InlineData("2026", 4, 2013, 9999, true)]
    [InlineData("07", 2, 1, 12, true)]
    [InlineData("7", 2, 1, 12, false)]
    [InlineData("13", 2, 1, 12, false)]
    [InlineData("+1", 2, 1, 12, false)]
    public void Date_folders_parse_strictly(string segment, int digits, int min, int max, bool expected) =>
        Assert.Equal(expected, CloudTrailLayout.TryParseDatePart(segment, digits, min, max, out _));

    [Theory]
    [InlineData("111122223333", true)]
    [InlineData("11112222333", false)]
    [InlineData("1111222233334", false)]
    [InlineData("11112222333a", false)]
    [InlineData("../../etc/x", false)]
    [InlineData("１１１１２２２２３３３３", false)]
    public void IsAccountId_Exactly12AsciiDigits(string value, bool expected)
    {
        Assert.Equal(expected, CloudTrailLayout.IsAccountId(value));
    }

    [Theory]
    [InlineData("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/02/111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20260102T030405Z.json.gz", true)]
    [InlineData("trail/AWSLogs/o-abcdefghij/111122223333/CloudTrail-Digest/eu-west-1/2026/01/02/111122223333_CloudTrail-Digest_eu-west-1_org_us-east-1_20260102T030405Z.json.gz", true)]
    // a log file under a trail prefix that merely mentions the word: a substring test would have skipped it
    [InlineData("CloudTrail-Digest-archive/AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/111122223333_CloudTrail_us-east-1_20260102T0305Z_abcdefgh.json.gz", false)]
    // a log file's name in the digest folder, and a digest's name outside it
    [InlineData("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/02/111122223333_CloudTrail_us-east-1_20260102T0305Z_abcdefgh.json.gz", false)]
    [InlineData("AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20260102T030405Z.json.gz", false)]
    // no account before the name's first underscore, or no folder at all
    [InlineData("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/02/notes_CloudTrail-Digest_x.json.gz", false)]
    [InlineData("111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20260102T030405Z.json.gz", false)]
    public void IsDigestKey_ByFolderAndFileName_NotBySubstring(string key, bool expected)
    {
        Assert.Equal(expected, CloudTrailLayout.IsDigestKey(key));
    }
}
