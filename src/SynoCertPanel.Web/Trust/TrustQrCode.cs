using QRCoder;

namespace SynoCertPanel.Web.Trust;

/// <summary>A QR code of the trust page's URL, so a phone can open the page without typing the address.</summary>
public static class TrustQrCode
{
    public const string ContentType = "image/svg+xml";

    /// <summary>Inline SVG (rectangles only; the URL itself is not in the markup).</summary>
    public static string Svg(Uri trustPage)
    {
        ArgumentNullException.ThrowIfNull(trustPage);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(trustPage.AbsoluteUri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
