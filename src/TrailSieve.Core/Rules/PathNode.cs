using System.Text;

namespace TrailSieve.Core.Rules;

/// <summary>
/// One property in the tree of every path the rule set reads. <see cref="PathTreeScanner"/> walks the record and this
/// tree together, so one pass finds every referenced value at every depth and skips subtrees no path enters.
/// </summary>
internal sealed class PathNode
{
    private readonly List<PathNode> _building = [];

    /// <summary>The children by the length of their UTF-8 name (index = length), so a lookup compares only same-length names.</summary>
    private PathNode[][] _byLength = [];

    public PathNode(string name, bool isSigma = false)
    {
        Name = name;
        Utf8Name = Encoding.UTF8.GetBytes(name);
        IsSigma = isSigma;
    }

    /// <summary>
    /// A node of a Sigma path: an array value is traversed as if each element stood at this path (Sigma paths have no
    /// <c>[]</c>), and an object or array value is captured with its whole JSON text. A rule path's node never
    /// does either, so the rules' semantics stay as they are where both read one path.
    /// </summary>
    public bool IsSigma { get; }

    /// <summary>
    /// The Sigma node of the same name under the same parent, when a rule path already took the name: the scanner
    /// visits the value once for each (<see cref="PathTreeScanner"/>).
    /// </summary>
    public PathNode? Twin { get; private set; }

    public string Name { get; }

    /// <summary>The property name as UTF-8 bytes (names are ASCII identifiers, so escaped forms never equal them byte-wise).</summary>
    public byte[] Utf8Name { get; }

    public PathNode[] Children { get; private set; } = [];

    /// <summary>The node for each element when a path traverses this property as an array (<c>name[]</c>).</summary>
    public PathNode? Element { get; private set; }

    /// <summary>Index of this node's capture list, or -1 when no match reads this value.</summary>
    public int LeafId { get; set; } = -1;

    /// <summary>Which <see cref="EvaluatedFields"/> range this value fills (an <see cref="EvaluationState"/> slot), or -1.</summary>
    public int FieldSlot { get; set; } = -1;

    public PathNode GetOrAddChild(string name) => GetOrAddChild(name, sigma: false);

    /// <summary>The child for a Sigma path's segment: a Sigma node, beside (as a twin of) a rule path's node of the same name.</summary>
    public PathNode GetOrAddSigmaChild(string name) => GetOrAddChild(name, sigma: true);

    private PathNode GetOrAddChild(string name, bool sigma)
    {
        foreach (var child in _building)
        {
            if (child.Name == name)
            {
                if (child.IsSigma == sigma)
                {
                    return child;
                }

                return child.Twin ??= new PathNode(name, sigma);
            }
        }

        var added = new PathNode(name, sigma);
        _building.Add(added);
        Children = [.. _building];
        var byLength = new PathNode[_building.Max(c => c.Utf8Name.Length) + 1][];
        for (var length = 0; length < byLength.Length; length++)
        {
            byLength[length] = [.. _building.Where(c => c.Utf8Name.Length == length)];
        }

        _byLength = byLength;
        return added;
    }

    public PathNode GetOrAddElement() => Element ??= new PathNode("[]");

    /// <summary>Finds the child named by the property the reader is on.</summary>
    public PathNode? FindChild(ref System.Text.Json.Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // A record has a few dozen properties per object and the tree a few names per length: compare those only.
            var name = reader.ValueSpan;
            var byLength = _byLength;
            if ((uint)name.Length >= (uint)byLength.Length)
            {
                return null;
            }

            foreach (var child in byLength[name.Length])
            {
                if (name.SequenceEqual(child.Utf8Name))
                {
                    return child;
                }
            }

            return null;
        }

        foreach (var child in Children)
        {
            if (reader.ValueTextEquals(child.Utf8Name))
            {
                return child;
            }
        }

        return null;
    }
}
