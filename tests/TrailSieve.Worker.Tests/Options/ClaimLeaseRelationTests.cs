using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Options;

/// <summary>The delivery ledger's lease against the batch age: a batch commits only within half the lease.</summary>
public class ClaimLeaseRelationTests
{
    [Fact]
    public void Validate_LeaseNotMoreThanTwiceMaxAge_FailsNamingBoth()
    {
        // Given batch mode with exactly-once and a lease of exactly twice the batch age
        var options = new OutputOptions { Bucket = "out", MaxAge = TimeSpan.FromMinutes(2), ClaimLease = TimeSpan.FromMinutes(4) };

        // When the start-up relations are checked
        var result = new ServiceOptionsRelations().Validate(null, options);

        // Then it fails, naming both settings
        Assert.True(result.Failed);
        Assert.Contains("Output:ClaimLease", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Output:MaxAge", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectiveClaimLease_Unset_FiveMinutesOrTwiceTheBatchAgePlusAMinute()
    {
        // Given the worker's 60 s batches and the deploy stack's 15 min ones, no lease set
        var worker = new OutputOptions();
        var deployed = new OutputOptions { MaxAge = TimeSpan.FromMinutes(15) };

        // Then the lease in force is 5 min, and 31 min (so the deployed service starts)
        Assert.Equal(TimeSpan.FromMinutes(5), worker.EffectiveClaimLease);
        Assert.Equal(TimeSpan.FromMinutes(31), deployed.EffectiveClaimLease);
        Assert.True(new ServiceOptionsRelations().Validate(null, new OutputOptions { Bucket = "out", MaxAge = TimeSpan.FromMinutes(15) }).Succeeded);
    }

    [Fact]
    public void Validate_DefaultsOrExactlyOnceOff_Succeed()
    {
        // Given the defaults (5 min lease, 60 s batches), and the same short lease with the ledger off
        var defaults = new OutputOptions { Bucket = "out" };
        var off = new OutputOptions { Bucket = "out", MaxAge = TimeSpan.FromMinutes(2), ClaimLease = TimeSpan.FromMinutes(4), ExactlyOnce = false };

        // Then both pass
        Assert.True(new ServiceOptionsRelations().Validate(null, defaults).Succeeded);
        Assert.True(new ServiceOptionsRelations().Validate(null, off).Succeeded);
    }
}
