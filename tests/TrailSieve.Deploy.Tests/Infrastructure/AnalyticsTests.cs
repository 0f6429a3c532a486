using System.Text.Json.Nodes;
using TrailSieve.Core.Analytics;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class AnalyticsTests(DefaultTemplate defaults, VariantTemplate variant)
{
    [Fact]
    public void GlueTable_Default_PartitionKeysAreCloudTrailTables()
    {
        var keys = Input(defaults)["PartitionKeys"]!.AsArray();

        Assert.Equal(CloudTrailTable.PartitionColumns.Select(c => (c.Name, c.HiveType)), keys.Select(k => ((string)k!["Name"]!, (string)k["Type"]!)));
    }

    [Fact]
    public void GlueTable_Default_ColumnsAreCloudTrailTablesWithHiveTypes()
    {
        var columns = Input(defaults)["StorageDescriptor"]!["Columns"]!.AsArray();

        Assert.Equal(CloudTrailTable.Columns.Select(c => (c.Name, c.HiveType)), columns.Select(k => ((string)k!["Name"]!, (string)k["Type"]!)));
    }

    [Fact]
    public void GlueTable_Default_ProjectionParametersEqualCloudTrailTables()
    {
        var expected = CloudTrailTable.ProjectionParameters($"s3://{StackContexts.OutputBucket}/records/", null, null, 2013, 2035);

        var parameters = Parameters(defaults);

        Assert.All(expected, p => Assert.Equal(p.Value, parameters.GetValueOrDefault(p.Key)));
        Assert.Equal("injected", parameters["projection.account.type"]);
        Assert.Equal($"s3://{StackContexts.OutputBucket}/records/account=${{account}}/region=${{region}}/year=${{year}}/month=${{month}}/day=${{day}}/", parameters["storage.location.template"]);
    }

    [Fact]
    public void GlueTable_Variant_ProjectsTheGivenAccountsRegionsAndYears()
    {
        var expected = CloudTrailTable.ProjectionParameters($"s3://{StackContexts.OutputBucket}/filtered/", ["111111111111", "222222222222"], ["eu-west-1", "us-east-1"], 2020, 2030);

        var parameters = Parameters(variant);

        Assert.All(expected, p => Assert.Equal(p.Value, parameters.GetValueOrDefault(p.Key)));
        Assert.Equal("111111111111,222222222222", parameters["projection.account.values"]);
    }

    [Fact]
    public void GlueTable_Default_ReadsTheOutputPrefixThroughTheCloudTrailSerDe()
    {
        var (serde, input, output) = CloudTrailTable.Storage(TableFormat.Json);
        var storage = Input(defaults)["StorageDescriptor"]!;

        Assert.Equal($"s3://{StackContexts.OutputBucket}/records/", (string?)storage["Location"]);
        Assert.Equal(serde, (string?)storage["SerdeInfo"]!["SerializationLibrary"]);
        Assert.Equal(input, (string?)storage["InputFormat"]);
        Assert.Equal(output, (string?)storage["OutputFormat"]);
        Assert.Equal("EXTERNAL_TABLE", (string?)Input(defaults)["TableType"]);
        Assert.Equal("trailsieve", (string?)Properties(defaults.Resources("AWS::Glue::Table").Single().Resource)["DatabaseName"]);
        Assert.Equal("trailsieve", (string?)Properties(defaults.Resources("AWS::Glue::Database").Single().Resource)["DatabaseInput"]!["Name"]);
    }

    [Fact]
    public void WorkGroup_Default_EnforcedWithSseS3Results()
    {
        var configuration = Properties(defaults.Resources("AWS::Athena::WorkGroup").Single().Resource)["WorkGroupConfiguration"]!;

        Assert.True((bool)configuration["EnforceWorkGroupConfiguration"]!);
        Assert.Equal($"s3://{StackContexts.OutputBucket}/athena-results/", (string?)configuration["ResultConfiguration"]!["OutputLocation"]);
        Assert.Equal("SSE_S3", (string?)configuration["ResultConfiguration"]!["EncryptionConfiguration"]!["EncryptionOption"]);
    }

    [Fact]
    public void WorkGroup_Variant_EnforcedWithSseKmsResultsUnderTheOutputKey()
    {
        var encryption = Properties(variant.Resources("AWS::Athena::WorkGroup").Single().Resource)["WorkGroupConfiguration"]!["ResultConfiguration"]!["EncryptionConfiguration"]!;

        Assert.Equal("SSE_KMS", (string?)encryption["EncryptionOption"]);
        Assert.Equal(StackContexts.OutputKeyArn, (string?)encryption["KmsKey"]);
    }

    private static JsonObject Input(SynthesizedTemplate stack) =>
        Properties(stack.Resources("AWS::Glue::Table").Single().Resource)["TableInput"]!.AsObject();

    private static Dictionary<string, string> Parameters(SynthesizedTemplate stack) =>
        Input(stack)["Parameters"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
}
