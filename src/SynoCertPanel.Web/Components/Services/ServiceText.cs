using System.Globalization;
using SynoCertPanel.Core.Services;
using SynoCertPanel.Web.Components.Certificates;

namespace SynoCertPanel.Web.Components.Services;

/// <summary>How the Services page words a service's facts.</summary>
public static class ServiceText
{
    /// <summary>A test id part without the characters a box name may hold (spaces, dots) that selectors would trip on.</summary>
    public static string TestKey(CertificateService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Box is { } box ? string.Create(CultureInfo.InvariantCulture, $"box-{box.Id}") : "listener";
    }

    public static string NothingUsed(CertificateService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Kind == ServiceKind.Listener
            ? "No default certificate is recorded: the panel serves the one it made at its first start."
            : "Nothing deployed from here yet.";
    }

    /// <summary>What the last probe saw on an endpoint, in one sentence.</summary>
    public static string Served(ServiceEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var until = endpoint.Endpoint.ServedNotAfter is { } notAfter ? $", valid until {CertificateText.Day(notAfter)}" : string.Empty;
        return endpoint.Served is { } held ? $"Serves \"{held.Description}\"{until}."
            : endpoint.SawCertificate ? $"Serves a certificate not held here{until}."
            : endpoint.Endpoint.CheckedAt is null ? "Not probed yet: Check now on the Boxes page."
            : "No certificate seen at the last probe.";
    }

    /// <summary>One entry of the drop-down: the description, its expiry, and whether it covers the box's addresses.</summary>
    public static string Choice(ServiceCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var covers = candidate.CoversAddresses ? " · covers its addresses" : string.Empty;
        return $"{candidate.Certificate.Description} (until {CertificateText.Day(candidate.Certificate.NotAfter)}){covers}";
    }

    /// <summary>Why Apply is not possible now (the row's own reason aside), shown on the disabled button.</summary>
    public static string? WhyNotApply(CertificateService service, int? chosen) => chosen switch
    {
        null => "Choose a certificate first.",
        _ when service.Kind == ServiceKind.Listener && service.Uses?.Id == chosen => "The panel already serves this certificate.",
        _ => null,
    };
}
