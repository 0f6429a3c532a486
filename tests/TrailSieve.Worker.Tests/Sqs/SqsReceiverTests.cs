using System.Net;
using System.Threading.Channels;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Sqs;

public class SqsReceiverTests
{
    private const string TwoObjects = """
        {"Records":[
          {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"trail"},"object":{"key":"AWSLogs/1/a+b.json.gz","size":10}}},
          {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"trail"},"object":{"key":"AWSLogs/1/c.json.gz","size":10}}}]}
        """;

    [Fact]
    public async Task RunAsync_MixedMessages_ObjectsFedUnknownReleasedAtOnceTestEventAcknowledged()
    {
        // Given an S3 event with two objects, a body nobody understands, and an S3 test event
        var queue = new FakeQueueClient();
        queue.Enqueue("objects", TwoObjects);
        queue.Enqueue("junk", "this is not a notification");
        queue.Enqueue("test", """{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-01T00:00:00Z","Bucket":"trail"}""");
        using var registry = new InFlightRegistry(10, new FlushSignal());
        var counters = new ServiceCounters();
        var output = Channel.CreateUnbounded<SourceObject>();
        var deletes = Channel.CreateUnbounded<InFlightMessage>();
        var releases = Channel.CreateUnbounded<MessageRelease>();
        using var stop = new CancellationTokenSource();
        var receiver = Create(queue, registry, counters);

        // When the receiver runs until the three are handled
        var running = receiver.RunAsync(output.Writer, deletes.Writer, releases.Writer, stop.Token);
        await WaitForAsync(() => counters.Received == 3 && deletes.Reader.TryPeek(out _) && releases.Reader.TryPeek(out _));
        await stop.CancelAsync();
        await running;

        // Then both objects (key decoded) reach the pipeline, the junk is counted and to be released at once (poison
        // heads for the DLQ), the test event is to be deleted
        var works = new List<SourceObject>();
        await foreach (var work in output.Reader.ReadAllAsync())
        {
            works.Add(work);
        }

        Assert.Equal(["s3://trail/AWSLogs/1/a b.json.gz", "s3://trail/AWSLogs/1/c.json.gz"], works.Select(w => w.Name));
        Assert.Equal(1, counters.Unknown);
        Assert.True(deletes.Reader.TryRead(out var acknowledged));
        Assert.Equal("test", acknowledged.Message.MessageId);
        Assert.True(releases.Reader.TryRead(out var released));
        Assert.Equal(("junk", TimeSpan.Zero), (released.Message.Message.MessageId, released.Visibility));
        Assert.Equal(3, registry.Count); // the object message (in flight), the test event (awaiting delete) and the junk (awaiting release)
    }

    [Fact]
    public async Task RunAsync_RegistryFull_StopsReceiving()
    {
        // Given room for 2 messages and a queue of 5
        var queue = new FakeQueueClient();
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue($"m{i}", TwoObjects.Replace("a+b", $"x{i}", StringComparison.Ordinal));
        }

        var flush = new FlushSignal();
        using var registry = new InFlightRegistry(2, flush);
        var counters = new ServiceCounters();
        var output = Channel.CreateUnbounded<SourceObject>();
        using var stop = new CancellationTokenSource();

        // When nothing completes, until a receiver finds no room (it raises the flush signal, then waits)
        var running = Create(queue, registry, counters).RunAsync(output.Writer, Channel.CreateUnbounded<InFlightMessage>().Writer, Channel.CreateUnbounded<MessageRelease>().Writer, stop.Token);
        await flush.Requested.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitForAsync(() => counters.Received == 2 && registry.Available == 0);

        // Then only 2 were received, never asking for more than the room left
        Assert.Equal(2, counters.Received);
        Assert.All(queue.ReceiveSizes, n => Assert.InRange(n, 1, 2));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_ReceiveFailsTransiently_BacksOffOnTheClockAndRecovers()
    {
        // Given a queue whose receives fail with throttling, on a fake clock
        var time = new FakeTimeProvider();
        var queue = new FakeQueueClient { ReceiveError = new AmazonSQSException("slow down", ErrorType.Sender, "ThrottlingException", "r", HttpStatusCode.BadRequest) };
        queue.Enqueue("m1", TwoObjects);
        using var registry = new InFlightRegistry(10, new FlushSignal());
        var counters = new ServiceCounters();
        var output = Channel.CreateUnbounded<SourceObject>();
        using var stop = new CancellationTokenSource();
        var running = Create(queue, registry, counters, time, receivers: 1).RunAsync(output.Writer, Channel.CreateUnbounded<InFlightMessage>().Writer, Channel.CreateUnbounded<MessageRelease>().Writer, stop.Token);

        // When it has failed (counted, the reserved room given back) and the throttling ends
        // (a retry whose jittered delay rounds to zero may run at once; it fails the same way and gives its room back)
        await WaitForAsync(() => counters.Errors.TryGetValue("SqsReceive", out var n) && n >= 1 && registry.Available == 10);
        Assert.Equal(0, counters.Received);
        queue.ReceiveError = null;

        // Then the next attempt comes only when the clock reaches the backoff (at most 20 s), and receives the message
        await WaitForAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            // (the receive is counted before its objects are fed: wait for both)
            return counters.Received == 1 && output.Reader.TryPeek(out _);
        });
        Assert.True(output.Reader.TryRead(out _));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_QueueDoesNotExist_FailsAtOnceWithoutRetrying()
    {
        var queue = new FakeQueueClient { ReceiveError = new QueueDoesNotExistException("gone") };
        using var registry = new InFlightRegistry(10, new FlushSignal());
        var counters = new ServiceCounters();
        var output = Channel.CreateUnbounded<SourceObject>();

        await Assert.ThrowsAsync<QueueDoesNotExistException>(
            () => Create(queue, registry, counters, new FakeTimeProvider(), receivers: 1).RunAsync(output.Writer, Channel.CreateUnbounded<InFlightMessage>().Writer, Channel.CreateUnbounded<MessageRelease>().Writer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(counters.Errors.ContainsKey("SqsReceive"));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => output.Reader.Completion);
    }

    private static SqsReceiver Create(FakeQueueClient queue, InFlightRegistry registry, ServiceCounters counters, TimeProvider? time = null, int receivers = 2) => new(
        queue,
        registry,
        (ObjectRef reference, InFlightMessage origin) => new SourceObject
        {
            Name = $"s3://{reference.Bucket}/{reference.Key}",
            Key = reference.Key,
            OutputKey = reference.Key,
            OpenAsync = _ => Task.FromResult<Stream>(Stream.Null),
            Origin = origin,
        },
        receivers,
        TimeSpan.Zero,
        TimeSpan.FromMinutes(5),
        new IdleTracker(time ?? TimeProvider.System),
        time ?? TimeProvider.System,
        counters,
        NullLogger.Instance);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition(), "the receiver did not handle the messages in time");
    }
}
