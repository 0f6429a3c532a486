namespace TrailSieve.Core.CloudTrail;

/// <summary>Why an element of <c>Records</c> was put aside instead of filtered. The names appear in quarantine lines.</summary>
public enum QuarantineKind
{
    /// <summary>The element is valid JSON but not an object (a number, string, array, boolean or null).</summary>
    NotAnObject,

    /// <summary>The element is larger than <see cref="RecordReaderOptions.MaxRecordBytes"/>.</summary>
    RecordTooLarge,

    /// <summary>The element nests deeper than <see cref="RecordReaderOptions.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>A record OCSF output cannot map (no eventTime, eventName or eventSource; see <see cref="Ocsf.OcsfMappingException"/>).</summary>
    Unmappable,
}
