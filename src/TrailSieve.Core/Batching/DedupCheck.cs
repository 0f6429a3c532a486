namespace TrailSieve.Core.Batching;

/// <summary>What <see cref="DedupWindow.Check"/> made of a record.</summary>
public enum DedupCheck
{
    /// <summary>Not seen before in the window, and now remembered.</summary>
    Remembered,

    /// <summary>The window holds a record with the same eventID and the same bytes: a second delivery of it.</summary>
    Duplicate,

    /// <summary>Not seen before, but the window is full: not remembered, so a later copy of it is not caught.</summary>
    NotRemembered,
}
