using Amazon;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.Worker.Tests.Sqs;

public class SqsQueueClientTests
{
    [Fact]
    public async Task DeleteAsync_EntryRefusedOnSqsSide_SentAgainAloneUntilAccepted()
    {
        // Given SQS refusing m2's delete twice with an internal error, then accepting it
        var sqs = new ScriptedSqs { RefuseDelete = (id, attempt) => id == "m2" && attempt <= 2 ? Refusal(id, "InternalError", senderFault: false) : null };
        var time = new FakeTimeProvider();
        var client = new SqsQueueClient(sqs, "https://sqs.test/1/q", time);

        // When three messages are deleted
        var failures = await AdvancingAsync(time, client.DeleteAsync([Message("m1"), Message("m2"), Message("m3")], CancellationToken.None));

        // Then nothing failed for good, and the retries carried only the refused entry
        Assert.Empty(failures);
        Assert.Equal([["m1", "m2", "m3"], ["m2"], ["m2"]], sqs.DeleteCalls);
    }

    [Fact]
    public async Task DeleteAsync_ReceiptHandleIsInvalid_NotRetriedAndReported()
    {
        // Given a handle that expired (the sender's fault: trying again cannot help)
        var sqs = new ScriptedSqs { RefuseDelete = (id, _) => id == "m1" ? Refusal(id, "ReceiptHandleIsInvalid", senderFault: true) : null };
        var time = new FakeTimeProvider();
        var client = new SqsQueueClient(sqs, "https://sqs.test/1/q", time);

        // When
        var failures = await AdvancingAsync(time, client.DeleteAsync([Message("m1"), Message("m2")], CancellationToken.None));

        // Then one call, and the entry's failure is returned as it came
        var failure = Assert.Single(failures);
        Assert.Equal(("m1", "ReceiptHandleIsInvalid"), (failure.MessageId, failure.Code));
        Assert.Single(sqs.DeleteCalls);
    }

    [Fact]
    public async Task ExtendAsync_EntryRefusedEveryTime_ReportedOnceTheAttemptsRunOut()
    {
        // Given SQS refusing m1's visibility change on every attempt
        var sqs = new ScriptedSqs { RefuseVisibility = (id, _) => id == "m1" ? Refusal(id, "ServiceUnavailable", senderFault: false) : null };
        var time = new FakeTimeProvider();
        var client = new SqsQueueClient(sqs, "https://sqs.test/1/q", time);

        // When
        var failures = await AdvancingAsync(time, client.ExtendAsync([Message("m1"), Message("m2")], TimeSpan.Zero, CancellationToken.None));

        // Then it was tried the pipeline's six times in all, and is reported as still refused
        Assert.Equal(("m1", "ServiceUnavailable"), (Assert.Single(failures).MessageId, failures[0].Code));
        Assert.Equal(6, sqs.VisibilityCalls.Count);
        Assert.Equal(["m1", "m2"], sqs.VisibilityCalls[0]);
        Assert.All(sqs.VisibilityCalls.Skip(1), call => Assert.Equal(["m1"], call));
        Assert.All(sqs.Visibilities, v => Assert.Equal(0, v));
    }

    private static QueueMessage Message(string id) => new(id, "rh-" + id, "{}", 1, null);

    private static BatchResultErrorEntry Refusal(string id, string code, bool senderFault) => new() { Id = id, Code = code, Message = code, SenderFault = senderFault };

    /// <summary>Runs <paramref name="call"/>, moving the fake clock on while it waits, so the retry backoff takes no real time.</summary>
    private static async Task<T> AdvancingAsync<T>(FakeTimeProvider time, Task<T> call)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!call.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(15));
            await Task.Delay(1, timeout.Token);
        }

        return await call;
    }

    /// <summary>The SDK client with the two batch calls answered by script: which entries are refused on which attempt.</summary>
    private sealed class ScriptedSqs() : AmazonSQSClient(new AnonymousAWSCredentials(), RegionEndpoint.USEast1)
    {
        public Func<string, int, BatchResultErrorEntry?>? RefuseDelete { get; init; }

        public Func<string, int, BatchResultErrorEntry?>? RefuseVisibility { get; init; }

        public List<List<string>> DeleteCalls { get; } = [];

        public List<List<string>> VisibilityCalls { get; } = [];

        public List<int> Visibilities { get; } = [];

        public override Task<DeleteMessageBatchResponse> DeleteMessageBatchAsync(DeleteMessageBatchRequest request, CancellationToken cancellationToken = default)
        {
            DeleteCalls.Add(request.Entries.ConvertAll(e => e.Id));
            var refused = request.Entries.Select(e => RefuseDelete?.Invoke(e.Id, DeleteCalls.Count)).OfType<BatchResultErrorEntry>().ToList();
            return Task.FromResult(new DeleteMessageBatchResponse { Failed = refused });
        }

        public override Task<ChangeMessageVisibilityBatchResponse> ChangeMessageVisibilityBatchAsync(
            ChangeMessageVisibilityBatchRequest request, CancellationToken cancellationToken = default)
        {
            VisibilityCalls.Add(request.Entries.ConvertAll(e => e.Id));
            Visibilities.AddRange(request.Entries.Select(e => e.VisibilityTimeout ?? -1));
            var refused = request.Entries.Select(e => RefuseVisibility?.Invoke(e.Id, VisibilityCalls.Count)).OfType<BatchResultErrorEntry>().ToList();
            return Task.FromResult(new ChangeMessageVisibilityBatchResponse { Failed = refused });
        }
    }
}
