using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Tests.Listener;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The certificates of a typical home lab, made through the panel's own services: a root CA made two years ago,
/// the NAS (the default), the router, a printer with 10 days left, a camera that expired last month, and a
/// second NAS's certificate from another CA, imported. Each is issued "in the past" by a shifted clock, so the
/// list shows real expiry states.
/// </summary>
public static class HomeLabInventory
{
    public const string BoxName = "nas1";
    public const string RootName = "Home Lab Root CA";
    public const string Nas = "nas1.home.arpa";
    public const string Router = "router.home.arpa";
    public const string Printer = "printer.home.arpa";
    public const string Camera = "camera.home.arpa";
    public const string ImportedNas = "nas2.home.arpa";
    public const string NasDescription = "NAS web interface";
    public const string PrinterDescription = "Office printer";
    public const string CameraDescription = "Garden camera";
    public const string ImportedDescription = "Backup NAS (imported)";

    public static async Task SeedAsync(PanelStorage storage)
    {
        var clock = new MutableClock { Offset = TimeSpan.FromDays(-730) };
        var authorities = new AuthorityService(storage, clock);
        var root = await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create(RootName, "Home Lab").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = 3650,
        }, "admin");
        Assert.True(root.IsSuccess, root.Error);

        await IssueAsync(authorities, clock, root.Value.Id, daysAgo: 30, validityDays: 397, NasDescription, setAsDefault: true, Nas, "127.0.0.1", "192.168.1.10");
        await IssueAsync(authorities, clock, root.Value.Id, daysAgo: 120, validityDays: 397, "Router admin page", setAsDefault: false, Router, "192.168.1.1");
        await IssueAsync(authorities, clock, root.Value.Id, daysAgo: 354, validityDays: 365, PrinterDescription, setAsDefault: false, Printer, "192.168.1.20");
        await IssueAsync(authorities, clock, root.Value.Id, daysAgo: 400, validityDays: 365, CameraDescription, setAsDefault: false, Camera, "192.168.1.30");

        var imported = await new ImportService(storage, TimeProvider.System).ImportAsync(ForeignCertificate(), "admin");
        Assert.True(imported.IsSuccess, imported.Error);
    }

    /// <summary>The root CA's certificate as PEM, what a device installs to trust the panel's certificates.</summary>
    public static async Task<string> RootPemAsync(PanelStorage storage)
    {
        var authority = (await new AuthorityService(storage, TimeProvider.System).ListAsync()).Single();
        var details = await new InventoryService(storage, TimeProvider.System).GetAsync(authority.CertificateId);
        Assert.True(details.IsSuccess, details.Error);
        return details.Value.Certificate.ToPem();
    }

    private static async Task IssueAsync(AuthorityService authorities, MutableClock clock, int authorityId, int daysAgo, int validityDays,
        string description, bool setAsDefault, params string[] names)
    {
        clock.Offset = TimeSpan.FromDays(-daysAgo);
        var issued = await authorities.IssueAsync(authorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create(names[0]).Value,
            SubjectAlternativeNames = SanParser.ParseAll(names).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = validityDays,
        }, description, setAsDefault, "admin");
        Assert.True(issued.IsSuccess, issued.Error);
    }

    /// <summary>A certificate, key and chain from a CA this panel does not hold, as another box or tool made them.</summary>
    private static ImportRequest ForeignCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=DiskStation Setup CA, O=Home", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-400), now.AddDays(3000));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={ImportedNas}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ImportedNas);
        names.AddIpAddress(System.Net.IPAddress.Parse("192.168.1.11"));
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var leaf = leafRequest.Create(root, now.AddDays(-60), now.AddDays(300), RandomNumberGenerator.GetBytes(16).Select((b, i) => i == 0 ? (byte)(b & 0x7F) : b).ToArray());

        return new ImportRequest
        {
            Files =
            [
                new BundleFile("nas2.crt", Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n" + root.ExportCertificatePem() + "\n")),
                new BundleFile("nas2.key", Encoding.ASCII.GetBytes(leafKey.ExportPkcs8PrivateKeyPem())),
            ],
            Description = ImportedDescription,
        };
    }
}
