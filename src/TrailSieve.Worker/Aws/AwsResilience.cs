using Polly;
using Polly.Retry;

namespace TrailSieve.Worker.Aws;

/// <summary>
/// The retry pipeline every S3 and SQS request goes through (the SDK's own retries are turned off so that attempts
/// are not multiplied): transient failures per <see cref="AwsErrors.IsTransient"/>, exponential backoff with jitter,
/// capped delay and attempts.
/// </summary>
internal static class AwsResilience
{
    public static ResiliencePipeline Create(TimeProvider timeProvider, int maxAttempts = 6) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(AwsErrors.IsTransient),
                MaxRetryAttempts = maxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(10),
            })
            .Build();
}
