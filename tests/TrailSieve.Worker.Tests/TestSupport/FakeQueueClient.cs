using System.Collections.Concurrent;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.Worker.Tests.TestSupport;

/// <summary>An in-memory queue: hands out queued messages, records deletes and extensions, can fail on demand.</summary>
internal sealed class FakeQueueClient : IQueueClient
{
    private readonly ConcurrentQueue<QueueMessage> _pending = new();

    public string QueueUrl => "https://sqs.test/000000000000/queue";

    public ConcurrentBag<string> Deleted { get; } = [];

    public ConcurrentBag<(string MessageId, TimeSpan Visibility)> Extended { get; } = [];

    public List<int> DeleteBatchSizes { get; } = [];

    public List<int> ReceiveSizes { get; } = [];

    public Func<QueueMessage, EntryFailure?>? FailExtend { get; set; }

    public Exception? ReceiveError { get; set; }

    public void Enqueue(string id, string body) => _pending.Enqueue(new QueueMessage(id, "rh-" + id, body, 1, null));

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan waitTime, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        if (ReceiveError is { } error)
        {
            throw error;
        }

        lock (ReceiveSizes)
        {
            ReceiveSizes.Add(maxMessages);
        }

        var result = new List<QueueMessage>();
        while (result.Count < maxMessages && _pending.TryDequeue(out var message))
        {
            result.Add(message);
        }

        if (result.Count == 0)
        {
            await Task.Delay(5, cancellationToken);
        }

        return result;
    }

    public Task<IReadOnlyList<EntryFailure>> DeleteAsync(IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken)
    {
        Assert.InRange(messages.Count, 1, 10);
        lock (DeleteBatchSizes)
        {
            DeleteBatchSizes.Add(messages.Count);
        }

        foreach (var message in messages)
        {
            Deleted.Add(message.MessageId);
        }

        return Task.FromResult<IReadOnlyList<EntryFailure>>([]);
    }

    public Task<IReadOnlyList<EntryFailure>> ExtendAsync(IReadOnlyList<QueueMessage> messages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        Assert.InRange(messages.Count, 1, 10);
        var failures = new List<EntryFailure>();
        foreach (var message in messages)
        {
            if (FailExtend?.Invoke(message) is { } failure)
            {
                failures.Add(failure);
                continue;
            }

            Extended.Add((message.MessageId, visibilityTimeout));
        }

        return Task.FromResult<IReadOnlyList<EntryFailure>>(failures);
    }
}
