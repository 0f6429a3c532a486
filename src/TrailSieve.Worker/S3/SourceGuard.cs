using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.S3;

/// <summary>
/// What the service accepts from a notification before it downloads anything, from the <c>Sqs</c> options: the bucket
/// allow-list (<c>SourceBuckets</c>), the key filter (<c>IncludeKeys</c>, <c>ExcludeKeys</c>) and the account expected
/// to own the buckets (<c>ExpectedBucketOwner</c>, sent on every request). Immutable and thread-safe; the patterns are
/// compiled once.
/// </summary>
internal sealed class SourceGuard
{
    private readonly HashSet<string> _buckets;
    private readonly KeyPattern[] _include;
    private readonly KeyPattern[] _exclude;

    private SourceGuard(IEnumerable<string> buckets, KeyPattern[] include, KeyPattern[] exclude, string? expectedBucketOwner)
    {
        _buckets = new HashSet<string>(buckets, StringComparer.Ordinal);
        _include = include;
        _exclude = exclude;
        ExpectedBucketOwner = string.IsNullOrEmpty(expectedBucketOwner) ? null : expectedBucketOwner;
    }

    /// <summary>Accepts every bucket and key and sends no owner.</summary>
    public static SourceGuard None { get; } = new([], [], [], null);

    /// <summary>The account id sent as <c>x-amz-expected-bucket-owner</c>, or null.</summary>
    public string? ExpectedBucketOwner { get; }

    /// <exception cref="FormatException">An entry of IncludeKeys or ExcludeKeys is not valid (<see cref="Validate"/> reports it at start).</exception>
    public static SourceGuard From(SqsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SourceGuard(
            options.SourceBuckets,
            [.. options.IncludeKeys.Select(KeyPattern.Parse)],
            [.. options.ExcludeKeys.Select(KeyPattern.Parse)],
            options.ExpectedBucketOwner);
    }

    /// <summary>What is wrong with the guard's settings, each naming the setting; empty when they are valid.</summary>
    public static IEnumerable<string> Validate(SqsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (setting, entries) in new[] { ("Sqs:IncludeKeys", options.IncludeKeys), ("Sqs:ExcludeKeys", options.ExcludeKeys) })
        {
            for (var i = 0; i < entries.Count; i++)
            {
                string? failure = null;
                try
                {
                    _ = KeyPattern.Parse(entries[i]);
                }
                catch (FormatException ex)
                {
                    failure = $"{setting}:{i}: {ex.Message}";
                }

                if (failure is not null)
                {
                    yield return failure;
                }
            }
        }

        for (var i = 0; i < options.SourceBuckets.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.SourceBuckets[i]))
            {
                yield return $"Sqs:SourceBuckets:{i}: is empty; accepted: a bucket name";
            }
        }

        if (!string.IsNullOrEmpty(options.ExpectedBucketOwner)
            && (options.ExpectedBucketOwner.Length != 12 || !options.ExpectedBucketOwner.All(char.IsAsciiDigit)))
        {
            yield return $"Sqs:ExpectedBucketOwner: '{options.ExpectedBucketOwner}' is not an AWS account id; accepted: 12 digits";
        }
    }

    /// <summary>Whether notifications may name <paramref name="bucket"/>: it is listed, or the list is empty.</summary>
    public bool AllowsBucket(string bucket) => _buckets.Count == 0 || _buckets.Contains(bucket);

    /// <summary>Why <paramref name="key"/> is not processed (the exclude entry it matches, or that it matches no include entry); null when it is.</summary>
    public string? SkipReason(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var pattern in _exclude)
        {
            if (pattern.Matches(key))
            {
                return $"excluded by Sqs:ExcludeKeys '{pattern}'";
            }
        }

        if (_include.Length > 0 && !Array.Exists(_include, p => p.Matches(key)))
        {
            return "matches no entry of Sqs:IncludeKeys";
        }

        return null;
    }

    /// <summary>The rejection of an object in <paramref name="bucket"/> outside the allow-list, naming the bucket and the setting.</summary>
    public SourceRejectedException Rejection(string bucket, string key) =>
        new($"s3://{bucket}/{key}: bucket {bucket} is not in Sqs:SourceBuckets ({string.Join(", ", _buckets.Order(StringComparer.Ordinal))}); not downloaded");
}
