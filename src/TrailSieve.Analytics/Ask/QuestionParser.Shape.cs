namespace TrailSieve.Analytics.Ask;

/// <summary>The shape of the answer: how many, count by, top N, who/which; and what a count is grouped by.</summary>
internal sealed partial class QuestionParser
{
    private bool Shape()
    {
        if (W(0) == "how" && W(1) is "many" or "much")
        {
            return Set(2, "count the matching events", () => Model.Shape = Model.Shape == QuestionShape.List ? QuestionShape.Count : Model.Shape);
        }

        if (W(0) is "count" or "total" || (W(0) == "number" && W(1) == "of"))
        {
            return Set(W(0) == "number" ? 2 : 1, "count the matching events", () => Model.Shape = Model.Shape == QuestionShape.List ? QuestionShape.Count : Model.Shape);
        }

        if (W(0) == "top")
        {
            var n = Number(W(1));
            var length = n is null ? 1 : 2;
            Model.Shape = QuestionShape.Top;
            Model.Limit = n ?? 10;
            length += GroupAt(length);
            return Set(length, $"the top {Model.Limit}{(Model.GroupBy is { } d ? $" by {Describe(d)}" : string.Empty)}{(Model.Failed ? " among failed calls" : string.Empty)}", () => { });
        }

        if (W(0) == "most" && W(1) is "common" or "frequent" or "active" || W(0) == "busiest")
        {
            var length = W(0) == "busiest" ? 1 : 2;
            Model.Shape = QuestionShape.Top;
            Model.Limit ??= 10;
            length += GroupAt(length);
            return Set(length, $"the top {Model.Limit}{(Model.GroupBy is { } d ? $" by {Describe(d)}" : string.Empty)}{(Model.Failed ? " among failed calls" : string.Empty)}", () => { });
        }

        if (W(0) == "who" && Model.Shape == QuestionShape.List)
        {
            return Set(1, "count by principal", () => (Model.Shape, Model.GroupBy) = (QuestionShape.CountBy, Dimension.Principal));
        }

        if (W(0) is "which" or "what" && DimensionAt(1) is ({ } which, var whichLength) && which != Dimension.Event && Model.Shape == QuestionShape.List)
        {
            return Set(1 + whichLength, $"count by {Describe(which)}", () => (Model.Shape, Model.GroupBy) = (QuestionShape.CountBy, which));
        }

        var by = W(0) is "by" or "per" ? 1 : W(0) is "group" or "grouped" && W(1) == "by" ? 2 : W(0) == "broken" && W(1) == "down" && W(2) == "by" ? 3 : 0;
        if (by > 0 && DimensionAt(by) is ({ } group, var groupLength))
        {
            if (group == Dimension.Principal && groupLength == 1 && IsName(by + 1))
            {
                return false; // "by user alice": a filter, read by Identity()
            }

            if ((group == Dimension.Account && IsAccount(W(by + 1))) || (group == Dimension.Region && IsRegion(W(by + 1))) || (group == Dimension.SourceIp && IsIp(W(by + 1))))
            {
                return false; // "by region eu-west-1": a filter, read by Where()
            }

            return Set(by + groupLength, $"count by {Describe(group)}", () =>
            {
                Model.GroupBy = group;
                if (Model.Shape != QuestionShape.Top)
                {
                    Model.Shape = QuestionShape.CountBy;
                }
            });
        }

        return false;
    }

    /// <summary>A dimension (one or two words) at an offset, or (null, 0).</summary>
    private (Dimension? Dimension, int Length) DimensionAt(int offset)
    {
        if (Vocabulary.DimensionPairs.TryGetValue(W(offset) + " " + W(offset + 1), out var pair))
        {
            return (pair, 2);
        }

        return Vocabulary.Dimensions.TryGetValue(W(offset), out var one) ? (one, 1) : (null, 0);
    }

    /// <summary>After "top N" / "most common": the dimension grouped by ("errors" groups failed calls by error code).</summary>
    private int GroupAt(int offset)
    {
        if (W(offset) is "errors" or "error")
        {
            Model.GroupBy = Dimension.ErrorCode;
            Model.Failed = true;
            return 1;
        }

        var (dimension, length) = DimensionAt(offset);
        if (dimension is { } d)
        {
            Model.GroupBy = d;
        }

        return length;
    }
}
