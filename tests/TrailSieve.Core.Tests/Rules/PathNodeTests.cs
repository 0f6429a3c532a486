using System.Text;
using System.Text.Json;
using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Tests.Rules;

/// <summary>The child lookup by name: same-length names that differ anywhere, short, long and escaped.</summary>
public class PathNodeTests
{
    // Same lengths, differing only in the first byte, the last, one in the middle of a name longer than the 16 bytes the
    // two words cover, or the zero padding of a short one.
    private static readonly string[] s_names =
    [
        "a", "b", "ab", "ba", "eventID", "eventId", "awsRegion", "bwsRegion", "awsRegioN", "sourceIPAddress",
        "requestParametersX1", "requestPXrametersX1", "requestParametersX2", "responseElementsAndMore",
    ];

    public static TheoryData<string> Names => [.. s_names];

    [Theory]
    [MemberData(nameof(Names))]
    public void FindChild_EachName_FindsItsOwnChild(string name)
    {
        var node = Tree();
        Assert.Equal(name, Find(node, $"{{\"{name}\":1}}")?.Name);
    }

    [Theory]
    [InlineData("c")]
    [InlineData("eventIE")]
    [InlineData("requestParametersY1")]
    [InlineData("requestParametersX")]
    [InlineData("responseElementsAndMorf")]
    [InlineData("")]
    public void FindChild_NameOfNoChild_FindsNothing(string name) => Assert.Null(Find(Tree(), $"{{\"{name}\":1}}"));

    [Fact]
    public void FindChild_EscapedName_FindsTheChildItUnescapesTo() =>
        Assert.Equal("awsRegion", Find(Tree(), """{"aws\u0052egion":1}""")?.Name);

    private static PathNode Tree()
    {
        var root = new PathNode("$");
        foreach (var name in s_names)
        {
            root.GetOrAddChild(name);
        }

        return root;
    }

    private static PathNode? Find(PathNode node, string json)
    {
        var tokens = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        tokens.Read();
        tokens.Read();
        return node.FindChild(ref tokens);
    }
}
