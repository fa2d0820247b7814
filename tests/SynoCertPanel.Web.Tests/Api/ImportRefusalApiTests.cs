using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Formats.Containers;
using static SynoCertPanel.Web.Tests.Api.TransferApi;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>
/// Garbage, truncated, hostile and oversized uploads to POST /api/v1/certificates/import: each is a problem document with
/// the sentence the wizard shows (or one naming what is wrong with the body), and nothing of it is stored.
/// </summary>
public sealed class ImportRefusalApiTests : IAsyncLifetime
{
    private const string PfxPassword = "pfx password";

    private ApiPanel _api = null!;
    private OpenSslHierarchy _pki = null!;
    private string _folder = null!;
    private string _importer = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _folder = Directory.CreateTempSubdirectory("synocert-import-refusal-").FullName;
        _pki = OpenSslHierarchy.Create(Path.Combine(_folder, "pki"));
        _importer = (await _api.CreateTokenAsync("importer", ApiScopes.CertificatesWrite, ApiScopes.CertificatesRead)).Secret;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Pem(string path) => File.ReadAllText(path);

    /// <summary>Sends the body and returns the problem's detail, after checking that no row was added.</summary>
    private async Task<string> RefusedAsync(HttpContent content, int status = 400)
    {
        var before = await CountRowsAsync(_api);

        var response = await SendHttp2Async(_api, HttpMethod.Post, Import, _importer, content);

        var detail = await ApiPanel.ProblemDetailAsync(response, status);
        Assert.Equal(before, await CountRowsAsync(_api));
        return detail;
    }

    private byte[] Pfx(string password)
    {
        var path = _pki.File($"leaf-{Guid.NewGuid():N}.pfx");
        Openssl("pkcs12", "-export", "-in", _pki.LeafCert, "-inkey", _pki.LeafKey, "-certfile", _pki.Chain, "-passout", "pass:" + password, "-out", path);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public async Task WrongPassword_IsTheWizardsSentence_AndAudited()
    {
        var detail = await RefusedAsync(Json(new { bundleBase64 = Convert.ToBase64String(Pfx(PfxPassword)), password = "not it" }));

        Assert.EndsWith(Pkcs12Reader.WrongPasswordMessage, detail, StringComparison.Ordinal);
        await using var db = _api.Storage.CreateContext();
        var audit = await db.AuditEvents.Where(a => a.Action == AuditActions.Import).OrderBy(a => a.Id).LastAsync();
        Assert.Equal(("token:importer", AuditOutcome.Refused), (audit.Actor, audit.Outcome));
    }

    [Fact]
    public async Task Pkcs12WithoutPassword_AsksForIt()
    {
        var detail = await RefusedAsync(Multipart(("bundle", Pfx(PfxPassword), "server.pfx")));

        Assert.Equal($"\"server.pfx\": {Pkcs12Reader.PasswordRequiredMessage}", detail);
    }

    [Fact]
    public async Task KeyOfAnotherCertificate_IsRefusedAsNotBelonging()
    {
        _pki.IssueLeaf("other", string.Empty);

        var detail = await RefusedAsync(Json(new { certificate = Pem(_pki.LeafCert), key = Pem(_pki.File("other.key")), chain = Pem(_pki.Chain) }));

        Assert.Contains("does not belong to any of the certificates", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateWithoutAnyKey_AsksForTheKeyFile()
    {
        var detail = await RefusedAsync(Json(new { certificate = Pem(_pki.LeafCert), chain = Pem(_pki.Chain) }));

        Assert.Equal("The files hold no private key, and no pending request or key held here belongs to this certificate. Add the key file.", detail);
    }

    [Fact]
    public async Task SameCertificateTwice_SecondIsRefusedAsDuplicate()
    {
        var body = new { certificate = Pem(_pki.LeafCert), key = Pem(_pki.LeafKey), chain = Pem(_pki.Chain) };
        var first = await _api.SendAsync(HttpMethod.Post, Import, "Bearer " + _importer, content: Json(body));
        Assert.Equal(System.Net.HttpStatusCode.Created, first.StatusCode);

        var detail = await RefusedAsync(Json(body));

        Assert.StartsWith("This certificate is already in the inventory as id ", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedFiles_AreRefused()
    {
        var leaf = Pem(_pki.LeafCert);
        var pfx = Pfx(PfxPassword);
        Openssl("x509", "-in", _pki.LeafCert, "-outform", "DER", "-out", _pki.File("leaf.der"));
        var der = File.ReadAllBytes(_pki.File("leaf.der"));

        foreach (var content in new HttpContent[]
        {
            Json(new { certificate = leaf[..(leaf.Length / 2)], key = Pem(_pki.LeafKey) }),
            Json(new { certificateBase64 = Convert.ToBase64String(der[..(der.Length - 20)]), key = Pem(_pki.LeafKey) }),
            Json(new { bundleBase64 = Convert.ToBase64String(pfx[..(pfx.Length / 2)]), password = PfxPassword }),
            Multipart(("bundle", _pki.SynologyZip(_pki.LeafCert, _pki.LeafKey)[..200], "archive.zip")),
        })
        {
            Assert.False(string.IsNullOrWhiteSpace(await RefusedAsync(content)));
        }
    }

    [Fact]
    public async Task Garbage_IsRefusedSayingWhatIsWrong()
    {
        var random = new byte[4096];
        new Random(12).NextBytes(random);

        Assert.Contains("\"noise.bin\"", await RefusedAsync(Multipart(("certificate", random, "noise.bin"))), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await RefusedAsync(Json(new { certificate = "hello, this is not a certificate" }))));
        Assert.Contains("base64", await RefusedAsync(Json(new { bundleBase64 = "not base64 at all!" })), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PemWithBinaryJunkAfterIt_IsRefusedAsNotText()
    {
        var junk = Encoding.ASCII.GetBytes(Pem(_pki.LeafCert)).Concat(new byte[] { 0xFF, 0xFE, 0x00, 0x81, 0xC0 }).ToArray();

        var detail = await RefusedAsync(Multipart(("certificate", junk, "leaf.pem"), ("key", File.ReadAllBytes(_pki.LeafKey), "leaf.key")));

        Assert.Contains("The file is not text", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonUtf8Text_IsRefused()
    {
        var latin1 = Encoding.Latin1.GetBytes("Büro-Zertifikat ©");

        Assert.Equal("\"password\" is not UTF-8 text.", await RefusedAsync(Multipart(("bundle", Pfx(PfxPassword), "server.pfx"), ("password", latin1, null))));
        Assert.Equal("\"description\" is not UTF-8 text.", await RefusedAsync(Multipart(("certificate", File.ReadAllBytes(_pki.LeafCert), "leaf.pem"), ("description", latin1, null))));
        var json = new ByteArrayContent([.. "{\"certificate\": \""u8, .. latin1, .. "\"}"u8]);
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.StartsWith("The body is not the JSON this call takes", await RefusedAsync(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandCertificatesInOnePem_AreRefusedBySize_AndAHundredByCount()
    {
        var one = Pem(_pki.LeafCert);
        var many = string.Concat(Enumerable.Repeat(one, 10_000));
        var hundred = string.Concat(Enumerable.Repeat(one, 100));

        Assert.Matches(@"^""certificates\.pem"" is \d+ KiB; certificate files are far smaller \(at most 1024 KiB accepted\)\.$",
            await RefusedAsync(Multipart(("certificate", Encoding.ASCII.GetBytes(many[..(3 * 1024 * 1024)]), "certificates.pem")), 413));
        Assert.Equal("The body is larger than this call accepts (4194304 bytes).", await RefusedAsync(Json(new { certificate = many }), 413));
        Assert.EndsWith("The file holds more than 64 PEM blocks.", await RefusedAsync(Json(new { certificate = hundred, key = Pem(_pki.LeafKey) })), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBodies_Are413_WithOrWithoutContentLength()
    {
        var big = new byte[5 * 1024 * 1024];
        Array.Fill(big, (byte)'A');

        var declared = new ByteArrayContent(big);
        declared.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Equal("The body is larger than this call accepts (4194304 bytes).", await RefusedAsync(declared, 413));
        Assert.Equal("The body is larger than this call accepts (4194304 bytes).", await RefusedAsync(new ChunkedContent(big, "application/json"), 413));
        Assert.Equal("\"a.pem\" is 1024 KiB; certificate files are far smaller (at most 1024 KiB accepted).",
            await RefusedAsync(Multipart(("certificate", big[..(1024 * 1024 + 1)], "a.pem")), 413));
        var chain = Multipart(("chain", big[..(2 * 1024 * 1024)], "b.pem"));
        Assert.Equal("\"b.pem\" is 2048 KiB; certificate files are far smaller (at most 1024 KiB accepted).",
            await RefusedAsync(new ChunkedContent(await chain.ReadAsByteArrayAsync(), chain.Headers.ContentType!.ToString()), 413));
        Assert.Matches(@"^""certificate"" is \d+ KiB; certificate files are far smaller",
            await RefusedAsync(Json(new { certificateBase64 = Convert.ToBase64String(big[..(2 * 1024 * 1024)]) }), 413));
    }

    [Fact]
    public async Task ZipThatInflatesFarBeyondItsSize_IsRefusedWithoutInflatingIt()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var bomb = zip.CreateEntry("cert.pem", CompressionLevel.SmallestSize).Open())
            {
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 64; i++)
                {
                    await bomb.WriteAsync(zeros);
                }
            }

            await using var key = zip.CreateEntry("privkey.pem").Open();
            await key.WriteAsync(File.ReadAllBytes(_pki.LeafKey));
        }

        Assert.True(buffer.Length < 1024 * 1024, $"{buffer.Length}");
        var detail = await RefusedAsync(Multipart(("bundle", buffer.ToArray(), "archive.zip")));

        Assert.Contains("inflates to more than 256 KiB", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedMultipart_IsRefusedSayingSo()
    {
        var whole = await Multipart(("certificate", File.ReadAllBytes(_pki.LeafCert), "leaf.pem")).ReadAsByteArrayAsync();
        var boundary = "cut-" + Guid.NewGuid().ToString("N");
        var cut = new ByteArrayContent(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"certificate\"; filename=\"a.pem\"\r\n\r\n-----BEGIN CERT"));
        cut.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        var noBoundary = new ByteArrayContent(whole);
        noBoundary.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        var noName = new ByteArrayContent(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{boundary}--\r\n"));
        noName.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        Assert.Equal("The multipart body is cut short or malformed: it must end with its closing boundary.", await RefusedAsync(cut));
        Assert.Equal("The multipart body needs a boundary of 1 to 70 characters in its Content-Type (RFC 2046).", await RefusedAsync(noBoundary));
        Assert.Equal("Each part needs a \"Content-Disposition: form-data; name=…\" header.", await RefusedAsync(noName));
    }

    [Fact]
    public async Task WrongShapes_AreRefusedNamingTheMistake()
    {
        var leaf = File.ReadAllBytes(_pki.LeafCert);
        var key = File.ReadAllBytes(_pki.LeafKey);

        Assert.Equal("There is no part \"cert\"; the import takes certificate, key, chain, bundle, password, description.",
            await RefusedAsync(Multipart(("cert", leaf, "leaf.pem"))));
        Assert.Equal("\"certificate\" is given more than once.", await RefusedAsync(Multipart(("certificate", leaf, "a.pem"), ("certificate", leaf, "b.pem"))));
        Assert.Equal("A bundle carries the certificate, key and chain itself: give it alone, or give certificate, key and chain instead.",
            await RefusedAsync(Multipart(("bundle", Pfx(PfxPassword), "s.pfx"), ("key", key, "leaf.key"))));
        Assert.Equal("key and chain go with certificate: give the certificate too, or one bundle that holds them all.",
            await RefusedAsync(Multipart(("key", key, "leaf.key"))));
        Assert.StartsWith("No file was given", await RefusedAsync(Multipart(("description", "only words"u8.ToArray(), null))), StringComparison.Ordinal);
        Assert.Equal("Give \"certificate\" as PEM text or as \"certificateBase64\", not both.",
            await RefusedAsync(Json(new { certificate = Pem(_pki.LeafCert), certificateBase64 = Convert.ToBase64String(leaf) })));
        Assert.StartsWith("The body is not the JSON this call takes", await RefusedAsync(Json(new { certificate = Pem(_pki.LeafCert), pfx = "x" })), StringComparison.Ordinal);
        Assert.StartsWith("The description contains a control character",
            await RefusedAsync(Json(new { certificate = Pem(_pki.LeafCert), key = Pem(_pki.LeafKey), description = "two\nlines" })), StringComparison.Ordinal);
        Assert.Equal("The password is 1025 characters long; at most 1024 are accepted.",
            await RefusedAsync(Json(new { bundleBase64 = Convert.ToBase64String(Pfx(PfxPassword)), password = new string('p', 1025) })));
        var withQuery = await _api.SendAsync(HttpMethod.Post, Import + "?password=x", "Bearer " + _importer, content: Json(new { certificate = Pem(_pki.LeafCert) }));
        Assert.StartsWith("The import takes no query parameters", await ApiPanel.ProblemDetailAsync(withQuery, 400), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherMediaTypes_Are415()
    {
        var text = new StringContent(Pem(_pki.LeafCert), Encoding.ASCII, "application/x-pem-file");
        var none = new ByteArrayContent(File.ReadAllBytes(_pki.LeafCert));

        Assert.Equal("Send the files as multipart/form-data, or as PEM text and base64 in application/json.", await RefusedAsync(text, 415));
        Assert.Equal("Send the files as multipart/form-data, or as PEM text and base64 in application/json.", await RefusedAsync(none, 415));
    }
}
