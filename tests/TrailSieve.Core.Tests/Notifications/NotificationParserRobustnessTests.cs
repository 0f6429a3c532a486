using TrailSieve.Core.Notifications;

namespace TrailSieve.Core.Tests.Notifications;

public class NotificationParserRobustnessTests
{
    private static readonly string[] Insertions =
        ["{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "\ud800", "%", "%zz", "+", "null", "-1", "1e999", "\0", "é", " "];

    [Fact]
    public void Parse_EveryTruncationOfValidBodies_NeverThrows()
    {
        // Given every prefix of every valid fixture
        foreach (var body in NotificationFixtures.AllValid())
        {
            for (var length = 0; length <= body.Length; length++)
            {
                // When / Then
                AssertConsistent(body[..length]);
            }
        }
    }

    [Fact]
    public void Parse_RandomMutationsOfValidBodies_NeverThrows()
    {
        // Given a few hundred seeded random edits (delete, insert, replace, swap, duplicate) of the valid fixtures
        var random = new Random(20260101);
        var bodies = NotificationFixtures.AllValid().ToArray();
        for (var i = 0; i < 900; i++)
        {
            var body = bodies[i % bodies.Length];
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                body = Mutate(body, random);
            }

            // When / Then
            AssertConsistent(body);
        }
    }

    private static string Mutate(string body, Random random)
    {
        if (body.Length == 0)
        {
            return Insertions[random.Next(Insertions.Length)];
        }

        var at = random.Next(body.Length);
        return random.Next(5) switch
        {
            0 => body.Remove(at, Math.Min(random.Next(1, 20), body.Length - at)),
            1 => body.Insert(at, Insertions[random.Next(Insertions.Length)]),
            2 => string.Concat(body.AsSpan(0, at), Insertions[random.Next(Insertions.Length)], body.AsSpan(at + 1)),
            3 => body.Replace("\"", "", StringComparison.Ordinal),
            _ => body.Insert(at, body.Substring(at, Math.Min(random.Next(1, 40), body.Length - at))),
        };
    }

    private static void AssertConsistent(string body)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.NotNull(parsed);
        Assert.NotNull(parsed.Objects);
        if (parsed.Error is null)
        {
            Assert.NotEqual(NotificationKind.Unknown, parsed.Kind);
            Assert.All(parsed.Objects, o => Assert.False(string.IsNullOrEmpty(o.Bucket) || string.IsNullOrEmpty(o.Key)));
        }
        else
        {
            Assert.Equal(NotificationKind.Unknown, parsed.Kind);
            Assert.Empty(parsed.Objects);
            Assert.NotEmpty(parsed.Error);
        }
    }
}
