using System.Security.Cryptography;
using System.Text;
using TrailSieve.Core.Layout;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// The file name of an account's report. The account comes from the records (a partition path, recipientAccountId),
/// so it can be anything: a 12-digit id, or <c>unknown</c> for records without one, is used as it is; any other value
/// becomes <c>other-</c> and a hash of it, so it can neither leave the month's folder nor collide with a real id.
/// </summary>
internal static class ReportFiles
{
    public const string Unknown = "unknown";

    public static string Name(string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (CloudTrailLayout.IsAccountId(account) || account == Unknown)
        {
            return account;
        }

        return "other-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(account)))[..16];
    }
}
