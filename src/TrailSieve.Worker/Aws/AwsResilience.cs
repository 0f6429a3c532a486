using Polly;
using Polly.Retry;

namespace TrailSieve.Worker.Aws;

/// <summary>
/// The retry pipeline every S3, SQS and SSM request goes through (the SDK's own retries are turned off so that attempts
/// are not multiplied): transient failures per <see cref="AwsErrors.IsTransient"/>, exponential backoff with jitter,
/// capped delay and attempts.
/// </summary>
internal static class AwsResilience
{
    /// <param name="timeProvider">The clock the backoff waits on.</param>
    /// <param name="maxAttempts">Attempts in all, the first included.</param>
    /// <param name="retryResult">
    /// For a call that reports a partial failure in its result (a batch call with refused entries): true while the
    /// result leaves something to retry. Null: only transient exceptions are retried.
    /// </param>
    public static ResiliencePipeline Create(TimeProvider timeProvider, int maxAttempts = 6, Func<object?, bool>? retryResult = null)
    {
        PredicateBuilder<object> shouldHandle = new PredicateBuilder().Handle<Exception>(AwsErrors.IsTransient);
        if (retryResult is not null)
        {
            shouldHandle = shouldHandle.HandleResult(result => retryResult(result));
        }

        return Retry(timeProvider, shouldHandle, maxAttempts - 1, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), onRetry: null);
    }

    /// <summary>
    /// For a loop that must keep going while the service runs (the SQS receivers): retries every failure that
    /// <paramref name="shouldRetry"/> accepts for as long as it lasts, with capped exponential backoff and jitter,
    /// telling <paramref name="onRetry"/> each time (attempt number, delay, failure).
    /// </summary>
    public static ResiliencePipeline CreateUnbounded(
        TimeProvider timeProvider, TimeSpan maxDelay, Func<Exception, bool> shouldRetry, Action<int, TimeSpan, Exception> onRetry) =>
        Retry(
            timeProvider,
            new PredicateBuilder().Handle(shouldRetry),
            int.MaxValue,
            TimeSpan.FromMilliseconds(100),
            maxDelay,
            args =>
            {
                onRetry(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception!);
                return ValueTask.CompletedTask;
            });

    /// <summary>The one retry shape: exponential backoff with jitter, capped, on the given clock.</summary>
    private static ResiliencePipeline Retry(
        TimeProvider timeProvider,
        PredicateBuilder<object> shouldHandle,
        int maxRetries,
        TimeSpan delay,
        TimeSpan maxDelay,
        Func<OnRetryArguments<object>, ValueTask>? onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = delay,
                MaxDelay = maxDelay,
                OnRetry = onRetry,
            })
            .Build();
}
