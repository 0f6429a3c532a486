using Amazon.Runtime;

namespace TrailSieve.Worker.Aws;

/// <summary>
/// The region the SDK clients will use, found before any client is made (making one without a region throws
/// "No RegionEndpoint or ServiceURL configured" from deep inside the host): <c>AWS_REGION</c>, then
/// <c>AWS_DEFAULT_REGION</c> (what <see cref="AwsClientFactory"/> reads), then the SDK's own chain (the profile's
/// region, instance metadata). A custom endpoint (<c>AWS_ENDPOINT_URL</c>) still needs one: requests are signed for it.
/// </summary>
internal static class AwsRegion
{
    /// <summary>Where a region can be set, for the message when none is.</summary>
    public const string Accepted = "a region name such as eu-west-1 in AWS_REGION or AWS_DEFAULT_REGION, or region in the AWS profile (AWS_PROFILE, ~/.aws/config)";

    /// <param name="environment">The process environment.</param>
    /// <param name="sdkChain">The SDK's fallback chain; by default <see cref="FallbackRegionFactory"/>.</param>
    public static string? Resolve(Func<string, string?> environment, Func<string?>? sdkChain = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION")) ?? (sdkChain ?? FromSdk)();
    }

    private static string? FromSdk()
    {
        try
        {
            return NonEmpty(FallbackRegionFactory.GetRegionEndpoint()?.SystemName);
        }
        catch (AmazonClientException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
