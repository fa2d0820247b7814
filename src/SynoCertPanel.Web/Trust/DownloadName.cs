using System.Text;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// File names for the downloads, built from a CA's common name. The name reaches a Content-Disposition
/// header, a shell script and certutil's nickname, so it keeps only lowercase ASCII letters, digits and
/// single dashes; the CA id keeps names from two CAs with the same CN apart.
/// </summary>
public static class DownloadName
{
    private const int MaxNameLength = 40;

    public static string For(int authorityId, string commonName)
    {
        ArgumentNullException.ThrowIfNull(commonName);
        var builder = new StringBuilder("synocertpanel-ca-").Append(authorityId);
        var pendingDash = true;
        var kept = 0;
        foreach (var c in commonName.ToLowerInvariant())
        {
            if (kept >= MaxNameLength)
            {
                break;
            }

            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingDash)
                {
                    builder.Append('-');
                    pendingDash = false;
                }

                builder.Append(c);
                kept++;
            }
            else
            {
                pendingDash = true;
            }
        }

        return builder.ToString();
    }
}
