using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Web.Tests.Trust;

/// <summary>
/// The browser path of TRUST-RULES.md ("Verifying in tests"): the downloaded Linux script, run with a
/// fresh HOME and SYNOCERT_TRUST_SCOPE=user, makes headless Chromium trust a server certificate from the CA.
/// --dump-dom exits 0 even on a certificate error (the DOM is then empty), so the page content decides.
/// </summary>
public sealed class LinuxScriptChromiumTests(TrustServer server) : IClassFixture<TrustServer>, IDisposable
{
    private const string Marker = "served-by-a-certificate-from-the-panel-ca";
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-chromium-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task LinuxScript_FreshHome_ChromiumTrustsServer_EmptyNssDbDoesNot()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Chromium is missing: scripts/test.sh installs it (apt package chromium).");
        await using var site = await StartSiteAsync();
        var port = new Uri(site.Urls.Single()).Port;
        var script = await server.Client.GetByteArrayAsync(new Uri($"/trust/ca/{server.AuthorityId}.sh", UriKind.Relative));
        var trustingHome = Directory.CreateDirectory(Path.Combine(_root, "trusting")).FullName;
        var emptyHome = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var install = await ExternalProcess.RunAsync("sh", ["-s"], Environment(trustingHome, ("SYNOCERT_TRUST_SCOPE", "user")), script);
        var empty = await ExternalProcess.RunAsync("certutil", ["-N", "--empty-password", "-d", $"sql:{Directory.CreateDirectory(Path.Combine(emptyHome, ".pki", "nssdb")).FullName}"]);
        var trusted = await ChromiumAsync(trustingHome, port);
        var control = await ChromiumAsync(emptyHome, port);

        Assert.True(install.ExitCode == 0, install.Output + install.Error);
        Assert.True(empty.ExitCode == 0, empty.Error);
        Assert.True(trusted.Output.Contains(Marker, StringComparison.Ordinal), $"Chromium did not trust the server: {trusted.Output}\n{trusted.Error}");
        Assert.DoesNotContain(Marker, control.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Environment(string home, params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = home };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static Task<ExternalProcess.Outcome> ChromiumAsync(string home, int port) => ExternalProcess.RunAsync("/usr/bin/chromium",
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", $"--user-data-dir={Directory.CreateDirectory(Path.Combine(home, "profile")).FullName}",
        "--host-resolver-rules=MAP nas.home.arpa 127.0.0.1", "--dump-dom", $"https://nas.home.arpa:{port}/",
    ], Environment(home), timeout: TimeSpan.FromSeconds(60));

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
