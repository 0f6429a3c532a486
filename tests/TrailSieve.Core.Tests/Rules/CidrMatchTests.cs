using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Rules.RuleTestData;

namespace TrailSieve.Core.Tests.Rules;

public sealed class CidrMatchTests
{
    private const string Networks = """cidr: ["10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32"]""";

    [Theory]
    [InlineData("10.1.2.3", RuleAction.Drop)]
    [InlineData("10.255.255.255", RuleAction.Drop)]
    [InlineData("11.0.0.1", RuleAction.Keep)]
    [InlineData("192.168.1.77", RuleAction.Drop)]
    [InlineData("192.168.2.1", RuleAction.Keep)]
    [InlineData("2001:db8:1::5", RuleAction.Drop)]
    [InlineData("2001:db9::1", RuleAction.Keep)]
    [InlineData("::ffff:10.9.8.7", RuleAction.Drop)]
    [InlineData("::ffff:11.9.8.7", RuleAction.Keep)]
    [InlineData("AWS Internal", RuleAction.Keep)]
    [InlineData("ec2.amazonaws.com", RuleAction.Keep)]
    [InlineData("10.1.2", RuleAction.Keep)]
    [InlineData("10.1.2.3.4", RuleAction.Keep)]
    [InlineData("010.1.2.3", RuleAction.Keep)]
    [InlineData("10.1.2.256", RuleAction.Keep)]
    [InlineData("", RuleAction.Keep)]
    public void Evaluate_Cidr_HitsAddressesInsideTheNetworks(string address, RuleAction expected)
    {
        // Given a cidr match over IPv4 and IPv6 networks
        var rules = OneMatch($"field_name: sourceIPAddress, {Networks}");

        // When a record with that sourceIPAddress is evaluated
        var action = Action(rules, $$"""{"sourceIPAddress":"{{address}}"}""");

        // Then only an address inside a network hits (an IPv4-mapped IPv6 address counts as its IPv4 address)
        Assert.Equal(expected, action);
    }

    [Theory]
    [InlineData("""{"sourceIPAddress":"203.0.113.9"}""", RuleAction.Drop)]
    [InlineData("""{"sourceIPAddress":"2001:db8::1"}""", RuleAction.Keep)]
    [InlineData("""{"sourceIPAddress":"10.0.0.1"}""", RuleAction.Keep)]
    [InlineData("""{"sourceIPAddress":"AWS Internal"}""", RuleAction.Keep)]
    [InlineData("""{"sourceIPAddress":"cloudformation.amazonaws.com"}""", RuleAction.Keep)]
    [InlineData("""{"sourceIPAddress":null}""", RuleAction.Keep)]
    [InlineData("""{"sourceIPAddress":1234}""", RuleAction.Keep)]
    [InlineData("""{"eventName":"x"}""", RuleAction.Keep)]
    public void Evaluate_CidrWithNot_HitsOnlyAddressesOutside(string json, RuleAction expected)
    {
        // Given "access from outside our networks"
        var rules = OneMatch($"field_name: sourceIPAddress, {Networks}, not: true");

        // When the record is evaluated
        var action = Action(rules, json);

        // Then only a real IP address outside the networks hits; non-addresses and missing fields never do
        Assert.Equal(expected, action);
    }

    [Theory]
    [InlineData("cidr: ['0.0.0.0/0']", "198.51.100.1", RuleAction.Drop)]
    [InlineData("cidr: ['0.0.0.0/0']", "2001:db8::1", RuleAction.Keep)]
    [InlineData("cidr: ['::/0']", "2001:db8::1", RuleAction.Drop)]
    [InlineData("cidr: ['198.51.100.7']", "198.51.100.7", RuleAction.Drop)]
    [InlineData("cidr: ['198.51.100.7']", "198.51.100.8", RuleAction.Keep)]
    [InlineData("cidr: ['10.1.2.3/8']", "10.200.0.1", RuleAction.Drop)]
    [InlineData("cidr: ['::ffff:10.0.0.0/104']", "10.3.3.3", RuleAction.Drop)]
    [InlineData("cidr: ['2001:db8::/127']", "2001:db8::1", RuleAction.Drop)]
    [InlineData("cidr: ['2001:db8::/128']", "2001:db8::1", RuleAction.Keep)]
    public void Evaluate_CidrEdges_FollowPrefixLengths(string operators, string address, RuleAction expected)
    {
        // Given a cidr match with an edge-case network
        var rules = OneMatch($"field_name: sourceIPAddress, {operators}");

        // When an address is evaluated
        var action = Action(rules, $$"""{"sourceIPAddress":"{{address}}"}""");

        // Then the prefix length decides; host bits in the network are ignored; families never mix
        Assert.Equal(expected, action);
    }

    [Fact]
    public void Evaluate_CidrOverArray_HitsWhenAnyElementIsInside()
    {
        // Given a cidr match over an array of addresses
        var rules = OneMatch("field_name: 'addresses[]', cidr: ['10.0.0.0/8']");

        // When records with and without an inside element are evaluated
        // Then any element inside hits
        Assert.Equal(RuleAction.Drop, Action(rules, """{"addresses":["1.1.1.1","10.0.0.2"]}"""));
        Assert.Equal(RuleAction.Keep, Action(rules, """{"addresses":["1.1.1.1","AWS Internal"]}"""));
    }

    [Theory]
    [InlineData("cidr: ['10.0.0.0/33']", "'10.0.0.0/33' is not a network: the prefix length after '/' must be a number from 0 to 32")]
    [InlineData("cidr: ['2001:db8::/129']", "from 0 to 128")]
    [InlineData("cidr: ['10.0.0/8']", "'10.0.0/8' is not a network: '10.0.0' is not an IPv4 or IPv6 address")]
    [InlineData("cidr: ['corp-network']", "'corp-network' is not an IPv4 or IPv6 address")]
    [InlineData("cidr: ['10.0.0.0/x']", "the prefix length")]
    [InlineData("cidr: []", "cidr: the list is empty")]
    [InlineData("cidr: ['10.0.0.0/8'], prefix: '10.'", "cidr cannot be combined")]
    public void Load_BadCidr_IsAValidationErrorNamingRuleAndValue(string operators, string expected)
    {
        // Given a rule whose cidr list is malformed
        var yaml = $$"""
            rules:
              - name: outside
                matches:
                  - { field_name: sourceIPAddress, {{operators}} }
            """;

        // When it is loaded
        var ex = Reject(yaml);

        // Then the error names the file, the rule, the match and the value
        Assert.Contains("test.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Errors, e => e.Contains("rules[0] 'outside': matches[0].cidr", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }
}
