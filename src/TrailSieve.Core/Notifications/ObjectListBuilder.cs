namespace TrailSieve.Core.Notifications;

/// <summary>Collects the objects of one message in order, each (bucket, key) once: the first occurrence wins.</summary>
internal sealed class ObjectListBuilder
{
    private readonly List<ObjectRef> _objects = [];
    private readonly HashSet<(string Bucket, string Key)> _seen = [];

    public void Add(ObjectRef objectRef)
    {
        if (_seen.Add((objectRef.Bucket, objectRef.Key)))
        {
            _objects.Add(objectRef);
        }
    }

    public IReadOnlyList<ObjectRef> ToList() => _objects.Count == 0 ? [] : _objects.ToArray();
}
