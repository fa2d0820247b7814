using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using static SynoCertPanel.Web.Tests.Api.TransferApi;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>POST /api/v1/certificates/import with files written by openssl, as multipart and as JSON: what is stored is what was sent.</summary>
public sealed class ImportApiTests : IAsyncLifetime
{
    private const string PfxPassword = "pfx password";

    private ApiPanel _api = null!;
    private OpenSslHierarchy _pki = null!;
    private string _folder = null!;
    private string _importer = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _folder = Directory.CreateTempSubdirectory("synocert-import-api-").FullName;
        _pki = OpenSslHierarchy.Create(Path.Combine(_folder, "pki"));
        _importer = (await _api.CreateTokenAsync("importer", ApiScopes.CertificatesWrite)).Secret;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<HttpResponseMessage> PostAsync(HttpContent content, string? token = null) =>
        _api.SendAsync(HttpMethod.Post, Import, "Bearer " + (token ?? _importer), content: content);

    private static byte[] Bytes(string path) => File.ReadAllBytes(path);

    /// <summary>A 201 with the certificate document whose fingerprint is openssl's, and its row in the inventory.</summary>
    private async Task<JsonElement> ImportedAsync(HttpResponseMessage response, string certificateFile, string inform = "PEM")
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        var id = json.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/certificates/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(Fingerprint(certificateFile, inform), json.GetProperty("sha256Fingerprint").GetString());
        Assert.Equal("Imported", json.GetProperty("source").GetString());
        Assert.True(json.GetProperty("hasPrivateKey").GetBoolean());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("warnings").ValueKind);
        await using var db = _api.Storage.CreateContext();
        var row = await db.Certificates.SingleAsync(c => c.Id == id);
        Assert.Equal(Fingerprint(certificateFile, inform), row.Sha256Fingerprint);
        Assert.NotNull(row.PrivateKeyId);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.Import && a.CertificateId == id);
        Assert.Equal(("token:importer", AuditOutcome.Succeeded), (audit.Actor, audit.Outcome));
        return json;
    }

    /// <summary>The same public key as the key file openssl made: the stored key is the one sent.</summary>
    private async Task AssertStoredKeyIsAsync(int id, string keyFile)
    {
        var exporter = await _api.CreateTokenAsync($"key check {id}", ApiScopes.CertificatesRead, ApiScopes.KeysExport);
        var key = await FileAsync(await _api.GetAsync(Export(id, "key"), exporter.Secret), "application/x-pem-file");
        var exported = Path.Combine(_folder, $"exported-{id}.key");
        await File.WriteAllBytesAsync(exported, key);
        Assert.Equal(Openssl("pkey", "-in", keyFile, "-pubout"), Openssl("pkey", "-in", exported, "-pubout"));
    }

    [Fact]
    public async Task Multipart_CertificateKeyAndChain_Is201AndStoresWhatWasSent()
    {
        var response = await PostAsync(Multipart(("certificate", Bytes(_pki.LeafCert), "leaf.pem"), ("key", Bytes(_pki.LeafKey), "leaf.key"),
            ("chain", Bytes(_pki.Chain), "chain.pem"), ("description", "NAS from openssl"u8.ToArray(), null)));

        var json = await ImportedAsync(response, _pki.LeafCert);
        Assert.Equal("NAS from openssl", json.GetProperty("description").GetString());
        Assert.Equal("CN=OpenSSL Test Intermediate", json.GetProperty("issuer").GetString());
        Assert.Equal(["DNS:nas.home.arpa", "IP:192.168.1.10"], json.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(File.ReadAllText(_pki.Chain).Trim(), json.GetProperty("chainPem").GetString(), StringComparison.Ordinal);
        await AssertStoredKeyIsAsync(json.GetProperty("id").GetInt32(), _pki.LeafKey);
    }

    [Fact]
    public async Task Json_PemText_Is201WithTheCommonNameAsDescription()
    {
        var response = await PostAsync(Json(new { certificate = File.ReadAllText(_pki.LeafCert), key = File.ReadAllText(_pki.LeafKey), chain = File.ReadAllText(_pki.Chain) }));

        var json = await ImportedAsync(response, _pki.LeafCert);
        Assert.Equal(OpenSslHierarchy.LeafName, json.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Json_DerCertificateAndKeyAsBase64_Is201()
    {
        Openssl("x509", "-in", _pki.LeafCert, "-outform", "DER", "-out", _pki.File("leaf.der"));
        Openssl("pkey", "-in", _pki.LeafKey, "-outform", "DER", "-out", _pki.File("leaf.key.der"));

        var response = await PostAsync(Json(new
        {
            certificateBase64 = Convert.ToBase64String(Bytes(_pki.File("leaf.der"))),
            keyBase64 = Convert.ToBase64String(Bytes(_pki.File("leaf.key.der"))),
            chain = File.ReadAllText(_pki.Chain),
        }));

        var json = await ImportedAsync(response, _pki.File("leaf.der"), "DER");
        await AssertStoredKeyIsAsync(json.GetProperty("id").GetInt32(), _pki.LeafKey);
    }

    [Fact]
    public async Task Pkcs12_AsMultipartBundleAndAsJsonBase64_Is201WithTheChain()
    {
        var second = _pki.IssueLeaf("second", string.Empty);
        foreach (var (leaf, key) in new[] { (_pki.LeafCert, _pki.LeafKey), (second, _pki.File("second.key")) })
        {
            Openssl("pkcs12", "-export", "-in", leaf, "-inkey", key, "-certfile", _pki.Chain, "-passout", "pass:" + PfxPassword, "-out", leaf + ".pfx");
        }

        var multipart = await PostAsync(Multipart(("bundle", Bytes(_pki.LeafCert + ".pfx"), "server.pfx"), ("password", Encoding.UTF8.GetBytes(PfxPassword), null)));
        var json = await PostAsync(Json(new { bundleBase64 = Convert.ToBase64String(Bytes(second + ".pfx")), password = PfxPassword }));

        Assert.Equal("CN=OpenSSL Test Intermediate", (await ImportedAsync(multipart, _pki.LeafCert)).GetProperty("issuer").GetString());
        var imported = await ImportedAsync(json, second);
        Assert.Contains(File.ReadAllText(_pki.Chain).Trim(), imported.GetProperty("chainPem").GetString(), StringComparison.Ordinal);
        await AssertStoredKeyIsAsync(imported.GetProperty("id").GetInt32(), _pki.File("second.key"));
    }

    [Fact]
    public async Task SynologyArchive_AsMultipartBundle_Is201()
    {
        var response = await PostAsync(Multipart(("bundle", _pki.SynologyZip(_pki.LeafCert, _pki.LeafKey), "archive.zip")));

        await ImportedAsync(response, _pki.LeafCert);
    }

    [Fact]
    public async Task Pkcs7Certificate_WithPemKey_Is201()
    {
        Openssl("crl2pkcs7", "-nocrl", "-certfile", _pki.LeafCert, "-certfile", _pki.Chain, "-outform", "DER", "-out", _pki.File("leaf.p7b"));

        var response = await PostAsync(Json(new { certificateBase64 = Convert.ToBase64String(Bytes(_pki.File("leaf.p7b"))), key = File.ReadAllText(_pki.LeafKey) }));

        await ImportedAsync(response, _pki.LeafCert);
    }

    [Fact]
    public async Task SignedCertificateForACsrMadeHere_IsMatchedToTheRequestsKey()
    {
        var pending = await new RequestService(_api.Storage, TimeProvider.System).CreateAsync(DistinguishedName.Create("csr.home.arpa").Value,
            SanParser.ParseAll(["csr.home.arpa"]).Value, KeyAlgorithm.EcdsaP256, "CSR for the printer", "setup");
        Assert.True(pending.IsSuccess, pending.Error);
        await File.WriteAllTextAsync(_pki.File("here.csr"), pending.Value.Request.ToPem());
        await File.WriteAllTextAsync(_pki.File("here.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:csr.home.arpa\n");
        _pki.Openssl("x509", "-req", "-in", _pki.File("here.csr"), "-CA", _pki.IntermediateCert, "-CAkey", _pki.IntermediateKey, "-set_serial", "0x5151",
            "-days", "30", "-sha256", "-extfile", _pki.File("here.ext"), "-out", _pki.File("here.pem"));
        int keyId;
        await using (var db = _api.Storage.CreateContext())
        {
            keyId = (await db.PendingRequests.SingleAsync(p => p.Id == pending.Value.Id)).PrivateKeyId;
        }

        var response = await PostAsync(Json(new { certificate = File.ReadAllText(_pki.File("here.pem")), chain = File.ReadAllText(_pki.Chain) }));

        var json = await ImportedAsync(response, _pki.File("here.pem"));
        Assert.Equal(pending.Value.Id, json.GetProperty("completedRequestId").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("registeredAuthorityId").ValueKind);
        await using (var db = _api.Storage.CreateContext())
        {
            Assert.False(await db.PendingRequests.AnyAsync(p => p.Id == pending.Value.Id));
            Assert.Equal(keyId, (await db.Certificates.SingleAsync(c => c.Id == json.GetProperty("id").GetInt32())).PrivateKeyId);
            var audit = await db.AuditEvents.Where(a => a.Action == AuditActions.Import).OrderBy(a => a.Id).LastAsync();
            Assert.Contains($"key of pending request {pending.Value.Id}", audit.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PemWithTrailingText_IsImportedAsOpensslReadsIt()
    {
        var text = File.ReadAllText(_pki.LeafCert) + "This line is not part of the certificate.\n";
        await File.WriteAllTextAsync(_pki.File("trailing.pem"), text);
        Assert.Contains("CN = nas.home.arpa", Openssl("x509", "-in", _pki.File("trailing.pem"), "-noout", "-subject"), StringComparison.Ordinal);

        var response = await PostAsync(Json(new { certificate = text, key = File.ReadAllText(_pki.LeafKey), chain = File.ReadAllText(_pki.Chain) }));

        await ImportedAsync(response, _pki.LeafCert);
    }

    [Fact]
    public async Task Import_WithReadScopeOnly_Is403NamingTheWriteScope()
    {
        var reader = await _api.CreateTokenAsync("reader", [.. ApiScopes.All.Where(s => s != ApiScopes.CertificatesWrite)]);
        var before = await CountRowsAsync(_api);

        var response = await PostAsync(Json(new { certificate = File.ReadAllText(_pki.LeafCert), key = File.ReadAllText(_pki.LeafKey) }), reader.Secret);

        Assert.Equal("This token lacks the scope certificates:write, which POST /api/v1/certificates/import needs; make a token that has it.",
            await ApiPanel.ProblemDetailAsync(response, 403));
        Assert.Equal(before, await CountRowsAsync(_api));
    }
}
