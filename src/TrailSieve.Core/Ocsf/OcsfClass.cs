namespace TrailSieve.Core.Ocsf;

/// <summary>An OCSF event class: its uid (category × 1000 + class), caption, category, and the short name used in keys and table names.</summary>
public sealed record OcsfClass(int Uid, string Name, int CategoryUid, string CategoryName, string Slug)
{
    /// <summary>OCSF's type_uid: class_uid × 100 + activity_id.</summary>
    public long TypeUid(int activityId) => (Uid * 100L) + activityId;
}
