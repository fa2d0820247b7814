using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// A real panel (Kestrel on 127.0.0.1) holding "Lab Root CA" (constrained to the home-lab names and private ranges)
/// served as an ACME directory, the files a client needs to trust the panel's HTTPS, and a free port for the client's
/// own challenge server. Names resolve through the panel's validation resolver, never through system files.
/// </summary>
internal sealed class AcmeLab : IAsyncDisposable
{
    private AcmeLab(BrowserPanel panel, int authorityId, string rootPem, string panelTrustPem)
    {
        Panel = panel;
        AuthorityId = authorityId;
        RootFile = panel.FilePath("lab-root.pem");
        PanelTrustFile = panel.FilePath("panel-trust.pem");
        File.WriteAllText(RootFile, rootPem);
        File.WriteAllText(PanelTrustFile, panelTrustPem);
    }

    public BrowserPanel Panel { get; }

    public int AuthorityId { get; }

    /// <summary>The lab root the issued certificates chain to.</summary>
    public string RootFile { get; }

    /// <summary>The CA of the certificate the panel's own HTTPS serves, which the ACME client must trust.</summary>
    public string PanelTrustFile { get; }

    public string DirectoryUrl => $"{Panel.Address}/acme/{AuthorityId}/directory";

    public PanelStorage Storage => Panel.Services.GetRequiredService<PanelStorage>();

    public AcmeDirectoryService Directories => new(Storage, TimeProvider.System);

    /// <param name="policy">The policy the directory is turned on with.</param>
    /// <param name="enable">False leaves the CA without a directory, for turning it on from the page.</param>
    public static async Task<AcmeLab> StartAsync(AcmePolicyDraft? policy = null, bool enable = true)
    {
        var authorityId = 0;
        var rootPem = "";
        var panel = await BrowserPanel.StartAsync(async storage =>
        {
            var root = await new AuthorityService(storage, TimeProvider.System).CreateRootAsync(new RootCaOptions
            {
                Subject = DistinguishedName.Create("Lab Root CA").Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
                NameConstraints = NameConstraints.HomeLab,
            }, "setup");
            Assert.True(root.IsSuccess, root.Error);
            authorityId = root.Value.Id;
            await using var db = storage.CreateContext();
            rootPem = Records.ToCertificate(db.Certificates.Single(c => c.Id == root.Value.CertificateId)).ToPem();
        });
        var lab = new AcmeLab(panel, authorityId, rootPem, await PanelTrustAsync(panel));
        if (enable)
        {
            var enabled = await lab.Directories.EnableAsync(authorityId, policy ?? new AcmePolicyDraft(), "setup");
            Assert.True(enabled.IsSuccess, enabled.Error);
        }

        return lab;
    }

    public async Task<AcmeEabKeyCreated> CreateEabKeyAsync(string label = "test")
    {
        var created = await Directories.CreateEabKeyAsync(AuthorityId, label, "setup");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value;
    }

    public async Task ResolveAsync(params string[] entries)
    {
        var set = await new AcmeResolver(Storage).SetAsync(entries);
        Assert.True(set.IsSuccess, set.Error);
    }

    public async Task SetPolicyAsync(AcmePolicyDraft draft)
    {
        var updated = await Directories.UpdateAsync(AuthorityId, draft, "setup");
        Assert.True(updated.IsSuccess, updated.Error);
    }

    /// <summary>A port nothing listens on now, for a client's own http-01 or tls-alpn-01 server.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> PanelTrustAsync(BrowserPanel panel)
    {
        await using var db = panel.Services.GetRequiredService<PanelStorage>().CreateContext();
        var servedId = await DefaultCertificate.GetAsync(db, CancellationToken.None);
        var served = db.Certificates.Single(c => c.Id == servedId);
        var authority = db.Authorities.Single(a => a.Id == served.IssuedByAuthorityId);
        return Records.ToCertificate(db.Certificates.Single(c => c.Id == authority.CertificateId)).ToPem();
    }

    public ValueTask DisposeAsync() => Panel.DisposeAsync();
}
