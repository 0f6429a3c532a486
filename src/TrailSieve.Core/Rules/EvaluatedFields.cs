namespace TrailSieve.Core.Rules;

/// <summary>
/// The fields every evaluation locates whatever the rules, because the output needs them of every record: where its
/// recipientAccountId, awsRegion and eventTime (its partition) and eventID are. Each is the byte range inside the
/// evaluated record of a top-level string value (without quotes, still JSON-escaped), captured during
/// <see cref="CompiledRuleSet.Evaluate(ReadOnlySpan{byte}, out EvaluatedFields, Span{int}, out int)"/>. A range is
/// <c>default(Range)</c> (0..0) when the field is absent or not a string. <see cref="RecipientAccountId"/> falls back
/// to <c>userIdentity.accountId</c>.
/// </summary>
public readonly record struct EvaluatedFields(Range RecipientAccountId, Range AwsRegion, Range EventTime, Range EventId);
