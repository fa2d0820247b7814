using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using static SynoCertPanel.Web.Tests.Api.TransferApi;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>
/// /api/v1/certificates/{id}/export/{format}: every format of the export dialog, read back by openssl, with its media type
/// and file name; the key formats only for a token with keys:export, and each key export in the audit log.
/// </summary>
public sealed class ExportApiTests : IAsyncLifetime
{
    private const string Password = "export password";

    private ApiPanel _api = null!;
    private string _folder = null!;
    private string _exporter = null!;
    private Seeded _alpha = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _folder = Directory.CreateTempSubdirectory("synocert-export-api-").FullName;
        _exporter = (await _api.CreateTokenAsync("exporter", ApiScopes.CertificatesRead, ApiScopes.KeysExport)).Secret;
        _alpha = await FindAsync(_api, "alpha.home.arpa web");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A seeded certificate's id and the fingerprint of what is stored.</summary>
    internal sealed record Seeded(int Id, string Sha256Fingerprint);

    internal static async Task<Seeded> FindAsync(ApiPanel api, string description)
    {
        var inventory = new InventoryService(api.Storage, TimeProvider.System);
        var id = (await inventory.ListRangeAsync(new CertificateQuery(), 0, null)).Items.Single(c => c.Description == description).Id;
        return new Seeded(id, (await inventory.GetAsync(id)).Value.Certificate.Sha256Fingerprint);
    }

    /// <summary>Saves a 200 answer's file after checking its media type and its file name, and returns the path.</summary>
    private async Task<string> SaveAsync(HttpResponseMessage response, string mediaType, string fileName)
    {
        var body = await FileAsync(response, mediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileName);
        var path = Path.Combine(_folder, fileName);
        await File.WriteAllBytesAsync(path, body);
        return path;
    }

    private Task<HttpResponseMessage> PostAsync(string format, object body, string? token = null) =>
        _api.SendAsync(HttpMethod.Post, Export(_alpha.Id, format), "Bearer " + (token ?? _exporter), content: Json(body));

    [Fact]
    public async Task Get_CertificateFormats_OpenWithOpenssl()
    {
        var pem = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "pem"), _exporter), "application/x-pem-file", "alpha.home.arpa_web.pem");
        var fullchain = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "fullchain"), _exporter), "application/x-pem-file", "alpha.home.arpa_web-fullchain.pem");
        var chain = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "chain"), _exporter), "application/x-pem-file", "alpha.home.arpa_web-chain.pem");
        var der = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "DER"), _exporter), "application/pkix-cert", "alpha.home.arpa_web.cer");
        var p7b = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "p7b"), _exporter), "application/x-pkcs7-certificates", "alpha.home.arpa_web.p7b");

        Assert.Contains("subject=CN = alpha.home.arpa", Openssl("x509", "-in", pem, "-noout", "-subject"), StringComparison.Ordinal);
        Assert.Equal(_alpha.Sha256Fingerprint, Fingerprint(pem));
        Assert.Contains("Total found: 2", Openssl("storeutl", "-noout", "-certs", fullchain), StringComparison.Ordinal);
        Assert.Contains("subject=CN = alpha.home.arpa Root CA", Openssl("x509", "-in", chain, "-noout", "-subject"), StringComparison.Ordinal);
        Assert.Equal(_alpha.Sha256Fingerprint, Fingerprint(der, "DER"));
        var certificates = Openssl("pkcs7", "-in", p7b, "-inform", "DER", "-print_certs", "-noout");
        Assert.Contains("subject=CN = alpha.home.arpa\n", certificates, StringComparison.Ordinal);
        Assert.Contains("subject=CN = alpha.home.arpa Root CA", certificates, StringComparison.Ordinal);
        await using var db = _api.Storage.CreateContext();
        Assert.Equal(5, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.Export && a.Actor == "token:exporter" && a.Outcome == AuditOutcome.Succeeded));
    }

    [Fact]
    public async Task Get_KeyAndSynologyArchive_OpenWithOpenssl_AndAreAuditedAsKeyExports()
    {
        var pem = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "pem"), _exporter), "application/x-pem-file", "alpha.home.arpa_web.pem");
        var key = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "key"), _exporter), "application/x-pem-file", "alpha.home.arpa_web.key");
        var zip = await SaveAsync(await _api.GetAsync(Export(_alpha.Id, "synology-zip"), _exporter), "application/zip", "alpha.home.arpa_web.zip");
        var withCaKey = await FileAsync(await _api.GetAsync(Export(_alpha.Id, "synology-zip") + "?includeCaKey=true", _exporter), "application/zip");

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(key), StringComparison.Ordinal);
        Assert.Equal(Openssl("x509", "-in", pem, "-noout", "-pubkey"), Openssl("pkey", "-in", key, "-pubout"));
        var entries = Unzip(await File.ReadAllBytesAsync(zip));
        Assert.Equal(["cert.pem", "privkey.pem", "syno-ca-cert.pem"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Openssl("x509", "-in", pem, "-noout", "-pubkey"), Openssl("pkey", "-in", Save("privkey.pem", entries["privkey.pem"]), "-pubout"));
        Assert.Equal(_alpha.Sha256Fingerprint, Fingerprint(Save("cert.pem", entries["cert.pem"])));
        var caEntries = Unzip(withCaKey);
        Assert.Equal(Openssl("x509", "-in", Save("ca.pem", caEntries["syno-ca-cert.pem"]), "-noout", "-pubkey"),
            Openssl("pkey", "-in", Save("ca.key", caEntries["syno-ca-privkey.pem"]), "-pubout"));
        await using var db = _api.Storage.CreateContext();
        var keyExports = await db.AuditEvents.Where(a => a.Action == AuditActions.ExportKey).ToListAsync();
        Assert.Equal(["key", "synology-zip", "synology-zip with the CA key"], keyExports.Select(a => a.Detail));
        Assert.All(keyExports, a => Assert.Equal(("token:exporter", AuditOutcome.Succeeded, (int?)_alpha.Id), (a.Actor, a.Outcome, a.CertificateId)));
    }

    [Fact]
    public async Task Post_Pkcs12AndEncryptedKey_OpenWithOpensslWithThePassword()
    {
        var pfx = await SaveAsync(await PostAsync("pfx", new { password = Password }), "application/x-pkcs12", "alpha.home.arpa_web.pfx");
        var legacy = await SaveAsync(await PostAsync("pfx-legacy", new { password = Password }), "application/x-pkcs12", "alpha.home.arpa_web-legacy.pfx");
        var key = await SaveAsync(await PostAsync("key", new { password = Password }), "application/x-pem-file", "alpha.home.arpa_web.key");

        foreach (var (file, encryption) in new[] { (pfx, "AES-256-CBC"), (legacy, "pbeWithSHA1And3-KeyTripleDES-CBC") })
        {
            var info = Openssl("pkcs12", "-info", "-in", file, "-passin", "pass:" + Password, "-nodes");
            Assert.Contains(encryption, info, StringComparison.Ordinal);
            Assert.Contains("subject=CN = alpha.home.arpa\n", info, StringComparison.Ordinal);
            Assert.Contains("subject=CN = alpha.home.arpa Root CA", info, StringComparison.Ordinal);
            Assert.Contains("-----BEGIN PRIVATE KEY-----", info, StringComparison.Ordinal);
            Assert.NotEqual(0, Core.Tests.OpenSslHierarchy.Run("openssl", "pkcs12", "-info", "-in", file, "-passin", "pass:wrong", "-nodes").ExitCode);
        }

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", await File.ReadAllTextAsync(key), StringComparison.Ordinal);
        Assert.Contains("-----BEGIN PRIVATE KEY-----", Openssl("pkey", "-in", key, "-passin", "pass:" + Password), StringComparison.Ordinal);
        await using var db = _api.Storage.CreateContext();
        Assert.Equal(["pfx", "pfx-legacy", "key"], await db.AuditEvents.Where(a => a.Action == AuditActions.ExportKey && a.Actor == "token:exporter")
            .OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync());
    }

    [Fact]
    public async Task Exports_ImportIntoAnotherPanel_AsTheSameCertificates()
    {
        await using var other = await ApiPanel.StartAsync();
        var importer = (await other.CreateTokenAsync("importer", ApiScopes.CertificatesWrite)).Secret;
        var bravo = await FindAsync(_api, "bravo.home.arpa web");
        var charlie = await FindAsync(_api, "charlie.home.arpa web");
        var pfx = await FileAsync(await PostAsync("pfx", new { password = Password }), "application/x-pkcs12");
        var zip = await FileAsync(await _api.GetAsync(Export(bravo.Id, "synology-zip"), _exporter), "application/zip");
        var fullchain = await FileAsync(await _api.GetAsync(Export(charlie.Id, "fullchain"), _exporter), "application/x-pem-file");
        var key = await FileAsync(await _api.GetAsync(Export(charlie.Id, "key"), _exporter), "application/x-pem-file");

        foreach (var (content, exported) in new (HttpContent, Seeded)[]
        {
            (Json(new { bundleBase64 = Convert.ToBase64String(pfx), password = Password }), _alpha),
            (Multipart(("bundle", zip, "bravo.zip")), bravo),
            (Json(new { certificate = Encoding.ASCII.GetString(fullchain), key = Encoding.ASCII.GetString(key) }), charlie),
        })
        {
            var response = await other.SendAsync(HttpMethod.Post, Import, "Bearer " + importer, content: content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
            Assert.Contains($"\"sha256Fingerprint\":\"{exported.Sha256Fingerprint}\"", body, StringComparison.Ordinal);
            await using var db = other.Storage.CreateContext();
            Assert.True(await db.Certificates.AnyAsync(c => c.Sha256Fingerprint == exported.Sha256Fingerprint && c.PrivateKeyId != null));
        }
    }

    private string Save(string name, byte[] data)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + "-" + name);
        File.WriteAllBytes(path, data);
        return path;
    }

    internal static Dictionary<string, byte[]> Unzip(byte[] data)
    {
        using var zip = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }, StringComparer.Ordinal);
    }
}
