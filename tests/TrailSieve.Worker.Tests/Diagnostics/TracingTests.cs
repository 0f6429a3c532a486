using System.Collections.Concurrent;
using System.Diagnostics;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Diagnostics;

public sealed class TracingTests : IDisposable
{
    private readonly ConcurrentBag<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TrailSieveMetrics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task RunAsync_ObjectWithParentContext_ObjectSpanContinuesTheMessageTrace()
    {
        // Given an object whose message carried a W3C traceparent
        var parent = TrailSieveActivity.ParentFrom("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        var work = PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document([OutputDocuments.Record("RunInstances")]));
        work = new SourceObject { Name = work.Name, Key = work.Key, OutputKey = work.OutputKey, OpenAsync = work.OpenAsync, ParentContext = parent };

        // When
        await new PipelineHarness().RunAsync(work);

        // Then the object span, its read and its upload are in the message's trace, with the outcome as tags
        var spans = _stopped.Where(a => a.TraceId == parent.TraceId).ToList();
        var objectSpan = Assert.Single(spans, a => a.OperationName == "object process");
        Assert.Equal(parent.SpanId, objectSpan.ParentSpanId);
        Assert.Equal("Succeeded", objectSpan.GetTagItem("trailsieve.status"));
        Assert.Equal(1L, objectSpan.GetTagItem("trailsieve.kept"));
        Assert.Contains(spans, a => a.OperationName == "object read" && a.ParentSpanId == objectSpan.SpanId);
        Assert.Contains(spans, a => a.OperationName == "object upload" && a.ParentSpanId == objectSpan.SpanId);
    }

    [Fact]
    public void ParentFrom_InvalidTraceParent_NoParent()
    {
        Assert.Equal(default, TrailSieveActivity.ParentFrom("not-a-traceparent", null));
        Assert.Equal(default, TrailSieveActivity.ParentFrom(null, null));
    }
}
