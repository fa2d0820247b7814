using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Trust;

/// <summary>
/// The browser path of TRUST-RULES.md ("Verifying in tests"): the downloaded Linux script, run with a
/// fresh HOME and SYNOCERT_TRUST_SCOPE=user, makes headless Chromium trust a server certificate from the CA;
/// the same browser with an empty NSS database refuses it.
/// </summary>
public sealed class LinuxScriptChromiumTests(TrustServer server) : IClassFixture<TrustServer>, IDisposable
{
    private const string Marker = "served-by-a-certificate-from-the-panel-ca";
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-chromium-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task LinuxScript_FreshHome_ChromiumTrustsServer_EmptyNssDbDoesNot()
    {
        await using var site = await StartSiteAsync();
        var address = $"https://nas.home.arpa:{new Uri(site.Urls.Single()).Port}/";
        var script = await server.Client.GetByteArrayAsync(new Uri($"/trust/ca/{server.AuthorityId}.sh", UriKind.Relative));
        var trustingHome = Directory.CreateDirectory(Path.Combine(_root, "trusting")).FullName;

        var install = await ExternalProcess.RunAsync("sh", ["-s"],
            new Dictionary<string, string> { ["HOME"] = trustingHome, ["SYNOCERT_TRUST_SCOPE"] = "user" }, script);
        Assert.True(install.ExitCode == 0, install.Output + install.Error);
        using var playwright = await Playwright.CreateAsync();
        await using var trusting = await TrustingChromium.WithHomeAsync(playwright, trustingHome, ["nas.home.arpa"]);
        await using var control = await TrustingChromium.ControlAsync(playwright, ["nas.home.arpa"]);
        var (trusted, trustedError) = await trusting.OpenAsync(address);
        var (refused, refusedError) = await control.OpenAsync(address);

        Assert.True(trustedError is null, $"Chromium did not trust the server: {trustedError}");
        Assert.Contains(Marker, await trusted!.TextAsync(), StringComparison.Ordinal);
        Assert.Null(refused);
        Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", refusedError, StringComparison.Ordinal);
    }

    /// <summary>A site for nas.home.arpa whose certificate the panel's CA signed (from a CSR, as for a second box).</summary>
    private async Task<WebApplication> StartSiteAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=nas.home.arpa", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("nas.home.arpa");
        request.CertificateExtensions.Add(names.Build());
        var csr = CertificateSigningRequest.FromDer(request.CreateSigningRequest()).Value;
        var storage = await server.OpenStorageAsync();
        var signed = await new SigningService(storage, TimeProvider.System).SignAsync(server.AuthorityId, csr, new SignRequestOptions(), "browser test", "test");
        Assert.True(signed.IsSuccess, signed.Error);
        using var leaf = X509Certificate2.CreateFromPem(signed.Value.Issued.Certificate.ToPem(), key.ExportPkcs8PrivateKeyPem());
        var served = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(served)));
        var app = builder.Build();
        app.MapGet("/", () => Results.Content($"<!DOCTYPE html><html><body><p>{Marker}</p></body></html>", "text/html", Encoding.UTF8));
        await app.StartAsync();
        return app;
    }
}
