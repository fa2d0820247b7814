using System.Globalization;
using MudBlazor;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Web.Components.Certificates;

/// <summary>How certificate facts read on the page: dates, days left and their colour, usages by name.</summary>
public static class CertificateText
{
    public const int ExpiryWarningDays = CertificateStates.ExpiryWarningDays;

    private static readonly Dictionary<string, string> ExtendedKeyUsageNames = new(StringComparer.Ordinal)
    {
        ["1.3.6.1.5.5.7.3.1"] = "TLS server (serverAuth)",
        ["1.3.6.1.5.5.7.3.2"] = "TLS client (clientAuth)",
        ["1.3.6.1.5.5.7.3.3"] = "Code signing",
        ["1.3.6.1.5.5.7.3.4"] = "Email protection",
        ["1.3.6.1.5.5.7.3.8"] = "Time stamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSP signing",
        ["2.5.29.37.0"] = "Any purpose",
    };

    /// <summary>
    /// A distinguished name as a list shows it: its common name ("Home Lab Root CA" for "O=Home Lab,CN=Home Lab Root CA"),
    /// or the whole name when it has none (the certificate engine reads its own text).
    /// </summary>
    public static string CommonNameOf(string distinguishedName)
    {
        ArgumentNullException.ThrowIfNull(distinguishedName);
        return Pki.Names.DistinguishedName.CommonNameOf(distinguishedName) ?? distinguishedName;
    }

    /// <summary>A host name split after each dot, so a narrow column wraps it between labels, not inside one.</summary>
    public static IReadOnlyList<string> DotSeparatedParts(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = new List<string>();
        var start = 0;
        for (var i = name.IndexOf('.', StringComparison.Ordinal); i >= 0; i = name.IndexOf('.', start))
        {
            parts.Add(name[start..(i + 1)]);
            start = i + 1;
        }

        parts.Add(name[start..]);
        return parts;
    }

    public static string Date(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => CertificateStates.DaysLeft(notAfter, now);

    public static string DaysLeftText(DateTimeOffset notAfter, DateTimeOffset now)
    {
        var days = DaysLeft(notAfter, now);
        return notAfter <= now ? "expired" : days == 1 ? "1 day left" : $"{days.ToString(CultureInfo.InvariantCulture)} days left";
    }

    public static Color ExpiryColor(DateTimeOffset notAfter, DateTimeOffset now) => CertificateStates.At(notAfter, replacedById: null, now) switch
    {
        CertificateState.Expired => Color.Error,
        CertificateState.Expiring => Color.Warning,
        _ => Color.Default,
    };

    public static string Source(CertificateSource source) => source switch
    {
        CertificateSource.Created => "Created here",
        CertificateSource.Imported => "Imported",
        CertificateSource.SignedRequest => "Signed for a CSR",
        _ => source.ToString(),
    };

    public static string KeyUsageText(KeyUsages? usages)
    {
        if (usages is not { } value)
        {
            return "(no key usage extension)";
        }

        var names = new List<string>();
        if (value.HasFlag(KeyUsages.DigitalSignature))
        {
            names.Add("Digital signature");
        }

        if (value.HasFlag(KeyUsages.KeyEncipherment))
        {
            names.Add("Key encipherment");
        }

        if (value.HasFlag(KeyUsages.KeyCertSign))
        {
            names.Add("Certificate signing");
        }

        if (value.HasFlag(KeyUsages.CrlSign))
        {
            names.Add("CRL signing");
        }

        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }

    public static string ExtendedKeyUsageText(IReadOnlyList<string>? oids) => oids is null
        ? "(no extended key usage extension: any purpose)"
        : oids.Count == 0 ? "(none)" : string.Join(", ", oids.Select(o => ExtendedKeyUsageNames.GetValueOrDefault(o, o)));
}
