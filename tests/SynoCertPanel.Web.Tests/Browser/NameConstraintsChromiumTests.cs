using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Tests.Cli;
using NameConstraints = SynoCertPanel.Pki.Profiles.NameConstraints;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// What a name-constrained root is for, seen by Chrome itself: should the root's key leak, a certificate made with it
/// for a name the root shuts out is refused by a browser that trusts the root. A root given DNS suffixes only shuts
/// out every IP address, so a leaf carrying one fails even when opened by its (permitted) host name.
/// </summary>
public sealed class NameConstraintsChromiumTests
{
    private const string HostName = "nas1.home.arpa";

    [Fact]
    public async Task DnsOnlyRoot_LeakedKeySignsAnAddress_TrustingChromiumRefusesWhatItAcceptsWithoutTheAddress()
    {
        using var dir = new TempFolder();
        var root = new CertificateIssuer().CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Names Only Root", "Home Lab").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            NameConstraints = NameConstraints.Create(["home.arpa"], []).Value,
        }).Value;
        var rootPem = root.Certificate.ToPem();
        var rootFile = dir.Write("root.pem", rootPem);
        var plain = MadeWithRootKey(root, dir, "plain", includeAddress: false);
        var hostile = MadeWithRootKey(root, dir, "hostile", includeAddress: true);
        await using var plainServer = await TlsServer.StartAsync("127.0.0.1", plain.Certificate, rootFile, plain.Key);
        await using var hostileServer = await TlsServer.StartAsync("127.0.0.1", hostile.Certificate, rootFile, hostile.Key);
        using var playwright = await Playwright.CreateAsync();
        await using var trusting = await TrustingChromium.TrustingAsync(playwright, rootPem, "Names Only Root", [HostName]);

        var accepted = await trusting.OpenAsync($"https://{HostName}:{plainServer.Port}/");
        var refused = await trusting.OpenAsync($"https://{HostName}:{hostileServer.Port}/");

        Assert.True(accepted.Error is null, accepted.Error);
        Assert.True(accepted.Response!.Ok, $"{accepted.Response.Url} answered {accepted.Response.Status}");
        // The two leaves differ only by the address, so the refusal is the constraint's. Chromium reports a constraint
        // violation under a locally trusted root as ERR_CERT_INVALID (a root without constraints accepts the same leaf).
        Assert.Null(refused.Response);
        Assert.Contains("net::ERR_CERT_INVALID", refused.Error, StringComparison.Ordinal);
    }

    /// <summary>A server certificate signed with the root's key by .NET, which checks no name constraint: what a thief would make.</summary>
    private static (string Certificate, string Key) MadeWithRootKey(IssuedCertificate root, TempFolder dir, string name, bool includeAddress)
    {
        using var rootKey = ECDsa.Create();
        rootKey.ImportPkcs8PrivateKey(root.Key!.ExportPkcs8(), out _);
        using var rootCertificate = X509CertificateLoader.LoadCertificate(root.Certificate.ToDer()).CopyWithPrivateKey(rootKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        if (includeAddress)
        {
            names.AddIpAddress(System.Net.IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(rootCertificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var leaf = request.Create(rootCertificate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), serial);
        return (dir.Write($"{name}.pem", Pem.Encode(Pem.CertificateLabel, leaf.RawData)),
            dir.Write($"{name}.key", Pem.Encode(Pem.PrivateKeyLabel, leafKey.ExportPkcs8PrivateKey())));
    }

    private sealed class TempFolder : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("synocert-nc-").FullName;

        public string Write(string name, string text)
        {
            var file = Path.Combine(_path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }
}
