using System.Reflection;
using Xunit.Sdk;

namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>
/// One theory row: the codec's name (<see cref="Codecs"/>) followed by the other values given. A row for ISA-L is
/// skipped with the reason when libisal cannot be loaded (unless <c>TRAILSIEVE_REQUIRE_ISAL=1</c>, when it runs and
/// fails), so it never passes without having run. One attribute per codec, since xunit 2 skips whole data attributes.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class CodecDataAttribute : DataAttribute
{
    private readonly object[] _row;

    public CodecDataAttribute(string codec, params object[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _row = [codec, .. data];
        Skip = codec == Codecs.Isal ? Codecs.IsalSkipReason : null;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [_row];
}
