using TrailSieve.Core.Detections;

namespace TrailSieve.Core.Tests.Detections;

public sealed class DetectionEventScopeTests
{
    [Fact]
    public void Of_PositiveEqualsAndIn_NarrowToTheirIntersection()
    {
        // Given a detection with eventSource equals, two eventName matches (in, then equals) and other matches
        var set = DetectionSetLoader.Load("""
            detections:
              - name: narrowed
                severity: high
                matches:
                  - { field_name: eventSource, equals: iam.amazonaws.com }
                  - { field_name: eventName, in: [CreateUser, DeleteUser, PassRole] }
                  - { field_name: eventName, in: [DeleteUser, PassRole, Other] }
                  - { field_name: requestParameters.userName, prefix: admin }
            """, "test");

        // When
        var scope = DetectionEventScope.Of(set, 0);

        // Then
        Assert.Equal(["iam.amazonaws.com"], scope.EventSources);
        Assert.Equal(["DeleteUser", "PassRole"], scope.EventNames);
        Assert.True(scope.Enabled);
        Assert.Equal(["eventSource", "eventName", "requestParameters"], scope.Fields);
    }

    [Fact]
    public void Of_NegatedCaseInsensitiveOrRegex_DoNotNarrow_AndExcludesOnlyAddFields()
    {
        var set = DetectionSetLoader.Load("""
            detections:
              - name: open
                severity: low
                enabled: false
                matches:
                  - { field_name: eventSource, equals: iam.amazonaws.com, not: true }
                  - { field_name: eventName, equals: createuser, ignore_case: true }
                  - { field_name: eventName, regex: "^Create" }
                exclude_matches:
                  - { field_name: "resources[].ARN", prefix: "arn:aws:s3" }
            """, "test");

        var scope = DetectionEventScope.Of(set, 0);

        Assert.Null(scope.EventSources);
        Assert.Null(scope.EventNames);
        Assert.False(scope.Enabled);
        Assert.Equal(["eventSource", "eventName", "resources"], scope.Fields);
    }
}
