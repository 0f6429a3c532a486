using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Rules;

/// <summary>
/// Reads a configuration text (the rules, or a detections file) from where <see cref="RulesOptions"/> says it is
/// kept: a local file, an S3 object or an SSM parameter. The rules and the detections sources both read through it,
/// so neither knows the SDK.
/// </summary>
internal interface IConfigTextReader
{
    Task<string> ReadAsync(RulesOptions location, CancellationToken cancellationToken);
}
