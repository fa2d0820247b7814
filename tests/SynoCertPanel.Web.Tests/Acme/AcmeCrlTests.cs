using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>The CA's CRL at /acme/{ca}/crl, checked by openssl, and the CRL distribution point the operator may ask for.</summary>
public sealed class AcmeCrlTests
{
    [Fact]
    public async Task Crl_AfterLegoRevokes_ListsItAndOpensslRefusesTheCertificate()
    {
        await using var lab = await AcmeLab.StartAsync();
        var eab = await lab.CreateEabKeyAsync("lego");
        var httpPort = AcmeLab.FreePort();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = httpPort });
        await lab.ResolveAsync("nas.home.arpa=127.0.0.1", "kept.home.arpa=127.0.0.1");
        var path = lab.Panel.FilePath("lego");
        string[] account = ["--eab", "--kid", eab.KeyId, "--hmac", eab.HmacKey, "--http", "--http.port", $"127.0.0.1:{httpPort}"];
        var issued = await Lego(lab, path, [.. account, "--domains", "nas.home.arpa", "run"]);
        Assert.True(issued.ExitCode == 0, issued.Output + issued.Error);
        var kept = await Lego(lab, path, [.. account, "--domains", "kept.home.arpa", "run"]);
        Assert.True(kept.ExitCode == 0, kept.Output + kept.Error);
        // lego moves a certificate it revoked to its archive: keep a copy to check against the CRL.
        var certificateFile = lab.Panel.FilePath("nas-revoked.crt");
        File.Copy(Path.Combine(path, "certificates", "nas.home.arpa.crt"), certificateFile);
        var keptFile = Path.Combine(path, "certificates", "kept.home.arpa.crt");
        var lists = lab.Panel.Services.GetRequiredService<AcmeRevocationLists>();
        var before = await FetchAsync(lab);
        var signedBefore = lists.Signatures;

        var revoke = await Lego(lab, path, [.. account, "--domains", "nas.home.arpa", "revoke", "--reason", "4"]);

        Assert.True(revoke.ExitCode == 0, revoke.Output + revoke.Error);
        var after = await FetchAsync(lab);
        var again = await FetchAsync(lab);
        Assert.Equal(after, again);
        Assert.Equal(signedBefore + 1, lists.Signatures);
        var crlFile = lab.Panel.FilePath("lab.crl");
        await File.WriteAllBytesAsync(crlFile, after);
        var signature = await ExternalProcess.RunAsync("openssl", ["crl", "-inform", "DER", "-in", crlFile, "-CAfile", lab.RootFile, "-noout"]);
        Assert.True(signature.ExitCode == 0, signature.Output + signature.Error);
        Assert.Contains("verify OK", signature.Output + signature.Error, StringComparison.Ordinal);
        var text = await ExternalProcess.RunAsync("openssl", ["crl", "-inform", "DER", "-in", crlFile, "-noout", "-text"]);
        using var revoked = X509CertificateLoader.LoadCertificateFromFile(certificateFile);
        Assert.Contains(revoked.SerialNumber, text.Output, StringComparison.Ordinal);
        Assert.Contains("Superseded", text.Output, StringComparison.Ordinal);
        Assert.Contains("Next Update", text.Output, StringComparison.Ordinal);
        Assert.True(Number(text.Output) > Number((await ExternalProcess.RunAsync("openssl", ["crl", "-inform", "DER", "-in", await SaveAsync(lab, before), "-noout", "-text"])).Output));

        var pemCrl = lab.Panel.FilePath("lab-crl.pem");
        Assert.Equal(0, (await ExternalProcess.RunAsync("openssl", ["crl", "-inform", "DER", "-in", crlFile, "-out", pemCrl])).ExitCode);
        var refused = await ExternalProcess.RunAsync("openssl", ["verify", "-crl_check", "-CRLfile", pemCrl, "-CAfile", lab.RootFile, certificateFile]);
        var accepted = await ExternalProcess.RunAsync("openssl", ["verify", "-crl_check", "-CRLfile", pemCrl, "-CAfile", lab.RootFile, keptFile]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("certificate revoked", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.True(accepted.ExitCode == 0, accepted.Output + accepted.Error);
        using var plain = X509CertificateLoader.LoadCertificateFromFile(keptFile);
        Assert.Null(plain.Extensions["2.5.29.31"]);
    }

    [Fact]
    public async Task Issue_WithCrlInCertificates_NamesTheCrlUrl()
    {
        await using var lab = await AcmeLab.StartAsync();
        await using var box = ChallengeServer.Start();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port, PointToCrl = true });
        await lab.ResolveAsync("cdp.home.arpa=127.0.0.1");
        using var client = await AcmeTestClient.OpenAsync(lab.DirectoryUrl);
        Assert.Equal(201, (await client.NewAccountAsync(await lab.CreateEabKeyAsync())).Status);

        using var certificate = await AcmeRenewalInfoTests.IssueAsync(client, box, "cdp.home.arpa");

        var file = lab.Panel.FilePath("cdp.pem");
        await File.WriteAllTextAsync(file, certificate.ExportCertificatePem());
        var text = await ExternalProcess.RunAsync("openssl", ["x509", "-in", file, "-noout", "-ext", "crlDistributionPoints"]);
        Assert.Contains($"URI:{lab.Panel.Address}/acme/{lab.AuthorityId}/crl", text.Output, StringComparison.Ordinal);
        var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", lab.RootFile, file]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task Crl_OfACaWithoutDirectory_IsNotFound()
    {
        await using var lab = await AcmeLab.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });

        using var response = await http.GetAsync(new Uri($"{lab.Panel.Address}/acme/{lab.AuthorityId + 100}/crl"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<byte[]> FetchAsync(AcmeLab lab)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        using var response = await http.GetAsync(new Uri($"{lab.Panel.Address}/acme/{lab.AuthorityId}/crl"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<string> SaveAsync(AcmeLab lab, byte[] crl)
    {
        var file = lab.Panel.FilePath($"crl-{Guid.NewGuid():N}.der");
        await File.WriteAllBytesAsync(file, crl);
        return file;
    }

    /// <summary>The CRL number openssl prints ("X509v3 CRL Number: \n 1765000000").</summary>
    private static long Number(string text)
    {
        var lines = text.Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains("CRL Number", StringComparison.Ordinal));
        Assert.True(at >= 0, text);
        return long.Parse(lines[at + 1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<ExternalProcess.Outcome> Lego(AcmeLab lab, string path, string[] arguments) =>
        ExternalProcess.RunAsync("lego", ["--server", lab.DirectoryUrl, "--accept-tos", "--email", "admin@lab.home.arpa", "--key-type", "ec256",
                "--path", path, .. arguments],
            new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = lab.PanelTrustFile }, timeout: TimeSpan.FromMinutes(2));
}
