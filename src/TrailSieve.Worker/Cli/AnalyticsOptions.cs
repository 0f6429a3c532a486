using System.CommandLine;
using System.Globalization;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;
using TrailSieve.Core.Layout;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary>Options the analytics commands share.</summary>
internal static class AnalyticsOptions
{
    public const string ViewColumns = """
        Columns: eventtime (TIMESTAMP, UTC), eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode,
        errormessage, requestparameters / responseelements / additionaleventdata / serviceeventdetails (JSON),
        useridentity (struct) and flattened useridentity_type, _principalid, _arn, _accountid, _username, _invokedby,
        _accesskeyid, _sessionissuer_username, _sessionissuer_arn, _mfaauthenticated; principal (user name, else role
        name, else invoking service, else identity type), recipientaccountid, readonly ('true'/'false'), eventid,
        eventtype, resources, tlsdetails, ...; partition columns account, region, year, month, day (from an
        account=/region=/year=/month=/day= path, else from the record) and file (the source file).
        """;

    /// <summary>
    /// The opener of the command's locations; what it writes to S3 gets the configured output's encryption
    /// (<c>Output:Encryption</c>, <c>Output:KmsKeyId</c>), overridden by the command line's when given.
    /// Null, after a line per problem on <paramref name="error"/>, when the configured output section cannot be used.
    /// </summary>
    public static ObjectStoreOpener? OpenStores(OutputEncryption? mode, string? kmsKeyId, TextWriter error)
    {
        try
        {
            var output = WorkerConfiguration.Build().Section<OutputOptions>(OutputOptions.SectionName);
            return new ObjectStoreOpener(new S3Encryption(mode ?? output.Encryption, kmsKeyId ?? output.KmsKeyId, output.BucketKey));
        }
        catch (ConfigurationException ex)
        {
            ConfigurationErrors.Write(error, ex.Problems);
            return null;
        }
    }

    public static Option<string[]> Data() => new("--data", "-d")
    {
        Description = "Folders (searched recursively) or files of TrailSieve output: *.json.gz, *.json, *.parquet. Repeatable.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<ResultFormat> Format() => new("--format", "-f")
    {
        Description = "table (aligned, for a terminal), csv, or json (JSON Lines, one object per row).",
        DefaultValueFactory = _ => ResultFormat.Table,
    };

    public static Option<long> MemoryLimit() => new("--memory-limit")
    {
        Description = "Engine memory limit in bytes; larger intermediate results spill to the temporary folder.",
        DefaultValueFactory = _ => new EngineOptions().MemoryLimitBytes,
    };

    public static Option<string[]> Accounts(string description) => new("--accounts")
    {
        Description = description + " 12-digit account ids, space or comma separated.",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string> SpoolLimit(string what, long defaultBytes) => new("--spool-limit")
    {
        Description = $"Most bytes of S3 objects downloaded to the spool at once ({what}); more fails with its name. E.g. 10GB, 500MB.",
        DefaultValueFactory = _ => string.Create(CultureInfo.InvariantCulture, $"{defaultBytes / 1_000_000}MB"),
    };

    public static Option<OutputEncryption?> Encryption() => new("--encryption")
    {
        Description = "SSE of the objects written to S3: S3, Kms or None (default Output:Encryption, as for run: S3).",
    };

    public static Option<string?> KmsKeyId() => new("--kms-key-id") { Description = "KMS key for --encryption Kms (default Output:KmsKeyId)." };

    /// <summary>The accounts given (split on commas too), or null (reported) when one is not 12 digits.</summary>
    public static HashSet<string>? TryAccounts(string[]? values, TextWriter error)
    {
        var accounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!CloudTrailLayout.IsAccountId(account))
            {
                error.WriteLine($"--accounts: '{account}' is not a 12-digit account id");
                return null;
            }

            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>A size option of at least <paramref name="minimum"/> bytes, or null (reported).</summary>
    public static long? TrySize(string text, string option, long minimum, TextWriter error)
    {
        if (ByteSizes.TryParse(text, out var bytes) && bytes >= minimum)
        {
            return bytes;
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{option}: '{text}' is not a size of at least {minimum / 1_000_000}MB (e.g. 256MB, 10GB)"));
        return null;
    }

    /// <summary>A store failure on stderr, and its exit code: 3 when the store cannot be used, 1 when one object is gone.</summary>
    public static int Fail(string command, StoreException exception, TextWriter error)
    {
        error.WriteLine($"{command}: {exception.Message}");
        return exception.Failure == StoreFailure.Unavailable ? ExitCodes.Unavailable : ExitCodes.InputFailed;
    }

    /// <summary>The data files under the given paths, or null (reported) when a path does not exist.</summary>
    public static DataFiles? TryFindData(string[] paths, TextWriter error)
    {
        try
        {
            var files = DataFiles.Find(paths);
            if (files.Count == 0)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no *.json.gz, *.json or *.parquet files under {string.Join(", ", paths)}"));
            }

            return files;
        }
        catch (FileNotFoundException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
    }
}
