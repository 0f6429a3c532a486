namespace TrailSieve.Core.CloudTrail;

internal enum DocumentPhase : byte
{
    ByteOrderMark,
    RootOpen,
    FirstKeyOrEnd,
    Key,
    Colon,
    Value,
    SkipValue,
    KeySeparatorOrEnd,
    FirstElementOrEnd,
    Element,
    InRecord,
    SkipElement,
    ElementSeparatorOrEnd,
    AfterRoot,
    Done,
}
