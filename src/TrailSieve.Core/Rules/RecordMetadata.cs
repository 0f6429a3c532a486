namespace TrailSieve.Core.Rules;

/// <summary>
/// Byte ranges inside the evaluated record of top-level string values (without quotes, still JSON-escaped), captured
/// during <see cref="CompiledRuleSet.Evaluate(ReadOnlySpan{byte}, out RecordMetadata, Span{int}, out int)"/>. A range is <c>default(Range)</c> (0..0) when the field is absent or
/// not a string. <see cref="RecipientAccountId"/> falls back to <c>userIdentity.accountId</c>.
/// </summary>
public readonly record struct RecordMetadata(Range RecipientAccountId, Range AwsRegion, Range EventTime, Range EventId);
