using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// RFC 8555 §7.4.2: a certificate whose issuer is also held here cross-signed by a second root is offered with that
/// second chain as an "alternate" link, each chain checked by openssl against its own root.
/// </summary>
public sealed class AcmeAlternateChainTests
{
    [Fact]
    public async Task Certificate_IssuerAlsoHeldCrossSigned_SecondChainIsAnAlternateLink_EachVerifiesToItsRoot()
    {
        await using var lab = await AcmeLab.StartAsync();
        await using var box = ChallengeServer.Start();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        var oldRootFile = await HoldCrossSignedRootAsync(lab);
        using var client = await AcmeTestClient.OpenAsync(lab.DirectoryUrl);
        Assert.Equal(201, (await client.NewAccountAsync(await lab.CreateEabKeyAsync())).Status);

        var certificateUrl = await IssueAsync(client, box);
        var main = await client.GetAsync(certificateUrl);
        var alternates = main.LinksTo("alternate");
        var second = await client.GetAsync(Assert.Single(alternates));
        var missing = await client.GetAsync(certificateUrl + "/alt/2");
        var zero = await client.GetAsync(certificateUrl + "/alt/0");

        Assert.Equal(200, main.Status);
        Assert.Equal(certificateUrl + "/alt/1", alternates[0]);
        Assert.Equal(200, second.Status);
        Assert.Equal([certificateUrl], second.LinksTo("alternate"));
        using var leaf = X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(main.Text));
        Assert.Equal(leaf.RawData, X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(second.Text)).RawData);
        // The default chain ends at the lab root (a leaf the root signed gets the root), the alternate at the cross-signed one.
        Assert.Equal(2, Count(main.Text));
        Assert.Equal(2, Count(second.Text));
        Assert.NotEqual(main.Text, second.Text);
        Assert.True(await VerifiesAsync(lab, lab.RootFile, main.Text, "main.pem"));
        Assert.True(await VerifiesAsync(lab, oldRootFile, second.Text, "alternate.pem"));
        Assert.False(await VerifiesAsync(lab, oldRootFile, main.Text, "main-old.pem"));
        Assert.Equal((404, "there is no chain 2."), (missing.Status, missing.Detail[^20..]));
        Assert.Equal(404, zero.Status);
        Assert.Contains("numbered from 1", zero.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_NoOtherChain_HasNoAlternateLink_AndAlt1IsNotFound()
    {
        await using var lab = await AcmeLab.StartAsync();
        await using var box = ChallengeServer.Start();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        using var client = await AcmeTestClient.OpenAsync(lab.DirectoryUrl);
        Assert.Equal(201, (await client.NewAccountAsync(await lab.CreateEabKeyAsync())).Status);

        var certificateUrl = await IssueAsync(client, box);
        var main = await client.GetAsync(certificateUrl);
        var alternate = await client.GetAsync(certificateUrl + "/alt/1");

        Assert.Equal(200, main.Status);
        Assert.Empty(main.LinksTo("alternate"));
        Assert.Equal(404, alternate.Status);
        Assert.Contains("has no alternate chain", alternate.Detail, StringComparison.Ordinal);
    }

    /// <summary>Holds a second certificate of the lab root (same name and key) signed by another root; returns that root's file.</summary>
    private static async Task<string> HoldCrossSignedRootAsync(AcmeLab lab)
    {
        int rootId;
        await using (var db = lab.Storage.CreateContext())
        {
            rootId = await db.Authorities.Where(a => a.Id == lab.AuthorityId).Select(a => a.CertificateId).SingleAsync();
        }

        var exported = await new ExportService(lab.Storage, TimeProvider.System).ExportAsync(rootId, ExportFormat.Key, new ExportOptions { IncludeKey = true }, "test");
        Assert.True(exported.IsSuccess, exported.Error);
        using var rootKey = ECDsa.Create();
        rootKey.ImportFromPem(Encoding.ASCII.GetString(exported.Value.Content));
        using var labRoot = X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(await File.ReadAllTextAsync(lab.RootFile)));
        var now = DateTimeOffset.UtcNow;

        using var oldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var oldRequest = new CertificateRequest("CN=Old Lab Root", oldKey, HashAlgorithmName.SHA256);
        oldRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        oldRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        oldRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(oldRequest.PublicKey, false));
        using var oldRoot = oldRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        var crossRequest = new CertificateRequest(labRoot.SubjectName, rootKey, HashAlgorithmName.SHA256);
        crossRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        crossRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        crossRequest.CertificateExtensions.Add(labRoot.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single());
        crossRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(oldRoot, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var cross = crossRequest.Create(oldRoot, now.AddDays(-1), now.AddYears(9), RandomNumberGenerator.GetBytes(16));

        await using (var db = lab.Storage.CreateContext())
        {
            db.Certificates.Add(Records.ToRecord(Certificate.FromDer(cross.RawData).Value, [Certificate.FromDer(oldRoot.RawData).Value],
                CertificateSource.Imported, "Lab Root CA, cross-signed by the old root", now));
            await db.SaveChangesAsync();
        }

        var file = lab.Panel.FilePath("old-root.pem");
        await File.WriteAllTextAsync(file, oldRoot.ExportCertificatePem());
        return file;
    }

    private static async Task<string> IssueAsync(AcmeTestClient client, ChallengeServer box)
    {
        var order = await client.NewOrderAsync(("ip", "127.0.0.1"));
        Assert.True(order.Status == 201, order.Text);
        var authorizationUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorizationUrl)).Json!["challenges"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "http-01")!;
        var token = challenge["token"]!.GetValue<string>();
        box.Files[token] = client.KeyAuthorization(token);
        await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");
        Assert.Equal("valid", (await client.PollAsync(authorizationUrl)).Status_);
        var ready = await client.PollAsync(order.Location!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var finalized = await client.PostAsync(ready.Json!["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.Csr(key, "127.0.0.1") }.ToJsonString());
        Assert.True(finalized.Status == 200, finalized.Text);
        return finalized.Json!["certificate"]!.GetValue<string>();
    }

    private static int Count(string pem) => pem.Split("-----BEGIN CERTIFICATE-----").Length - 1;

    /// <summary>openssl alone: the served file's leaf verifies with its other certificates as untrusted intermediates, against one root.</summary>
    private static async Task<bool> VerifiesAsync(AcmeLab lab, string root, string pem, string name)
    {
        var file = lab.Panel.FilePath(name);
        await File.WriteAllTextAsync(file, pem);
        var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", root, "-untrusted", file, file]);
        return verify.ExitCode == 0;
    }
}
