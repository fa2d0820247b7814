using System.Globalization;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// The trust page's URL for a host name or IP address the admin types (query parameters host and port).
/// Checked by the same rules as a certificate's SANs, so the QR code can only ever point at
/// https://NAME-OR-IP:PORT/trust — never at another scheme, path or an injected string.
/// </summary>
public static class TrustPageAddress
{
    public static Result<Uri> Create(string? host, string? port, int fallbackPort)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return Result.Failure<Uri>("Give the NAS's host name or IP address.");
        }

        var name = SubjectAlternativeName.Parse(host);
        if (!name.IsSuccess || name.Value.IsWildcard)
        {
            return Result.Failure<Uri>($"\"{Display.Literal(host, 60)}\" is not a host name or IP address.");
        }

        var number = fallbackPort;
        if (!string.IsNullOrWhiteSpace(port)
            && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is > 0 and <= 65535))
        {
            return Result.Failure<Uri>($"\"{Display.Literal(port, 20)}\" is not a port number (1–65535).");
        }

        var authority = name.Value.Kind == SanKind.IpAddress && name.Value.Value.Contains(':', StringComparison.Ordinal)
            ? $"[{name.Value.Value}]"
            : name.Value.Value;
        var portPart = number == 443 ? string.Empty : $":{number.ToString(CultureInfo.InvariantCulture)}";
        return Result.Success(new Uri($"https://{authority}{portPart}/trust"));
    }
}
