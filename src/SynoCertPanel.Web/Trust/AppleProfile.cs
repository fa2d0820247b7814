using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// An unsigned Apple configuration profile holding one root: a com.apple.security.root payload whose
/// PayloadContent is the certificate's DER. iOS installs it from Safari ("Profile Downloaded"); full
/// trust still needs Settings › General › About › Certificate Trust Settings (TRUST-RULES.md, iOS row).
/// The UUIDs come from the certificate's SHA-256, so downloading again replaces the same profile
/// instead of adding a second one.
/// </summary>
public static class AppleProfile
{
    public const string ContentType = "application/x-apple-aspen-config";

    public static byte[] Create(TrustedRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var fingerprint = root.Certificate.Sha256Fingerprint.ToLowerInvariant();
        var name = Display.Literal(root.DisplayName, 120);
        var payloadUuid = StableUuid("payload", root);
        var profileUuid = StableUuid("profile", root);
        var certificatePayload = Dict(
            ("PayloadCertificateFileName", new XElement("string", root.FileName + ".cer")),
            ("PayloadContent", new XElement("data", Convert.ToBase64String(root.Certificate.RawData.Span))),
            ("PayloadDescription", new XElement("string", "Adds a root certificate authority")),
            ("PayloadDisplayName", new XElement("string", name)),
            ("PayloadIdentifier", new XElement("string", $"com.apple.security.root.{payloadUuid}")),
            ("PayloadType", new XElement("string", "com.apple.security.root")),
            ("PayloadUUID", new XElement("string", payloadUuid)),
            ("PayloadVersion", new XElement("integer", 1)));
        var profile = Dict(
            ("PayloadContent", new XElement("array", certificatePayload)),
            ("PayloadDescription", new XElement("string", $"Trust the root CA \"{name}\" (SHA-256 {root.Sha256Fingerprint}) held by SynoCertPanel.")),
            ("PayloadDisplayName", new XElement("string", $"SynoCertPanel root CA: {name}")),
            ("PayloadIdentifier", new XElement("string", $"synocertpanel.trust.{fingerprint[..32]}")),
            ("PayloadRemovalDisallowed", new XElement("false")),
            ("PayloadType", new XElement("string", "Configuration")),
            ("PayloadUUID", new XElement("string", profileUuid)),
            ("PayloadVersion", new XElement("integer", 1)));
        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XDocumentType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null),
            new XElement("plist", new XAttribute("version", "1.0"), profile));
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            document.Save(writer);
        }

        return stream.ToArray();
    }

    private static XElement Dict(params (string Key, XElement Value)[] entries) =>
        new("dict", entries.SelectMany(e => new[] { new XElement("key", e.Key), e.Value }));

    /// <summary>An RFC 9562 version-8 (custom) UUID from SHA-256 of purpose and certificate.</summary>
    private static string StableUuid(string purpose, TrustedRoot root)
    {
        var hash = SHA256.HashData([.. Encoding.ASCII.GetBytes(purpose + ":"), .. root.Certificate.RawData.Span]);
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D").ToUpperInvariant();
    }
}
