using System.Text.Json;

namespace TrailSieve.Core.Rules;

/// <summary>
/// One value found at a referenced path: where its text is in the record (string content without quotes, or the raw
/// number/literal), its token kind, and the previous capture for the same path (-1 ends the list).
/// </summary>
internal readonly record struct CapturedValue(int Start, int Length, JsonTokenType Kind, bool Escaped, int Next);
