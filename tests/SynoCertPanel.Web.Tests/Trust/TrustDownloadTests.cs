using System.Net;
using System.Security.Cryptography;
using System.Text;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Tests.Trust;

public sealed class TrustDownloadTests(TrustServer server) : IClassFixture<TrustServer>
{
    private const string PlistCheck = """
        import plistlib, sys, hashlib
        profile = plistlib.loads(sys.stdin.buffer.read())
        payload = profile["PayloadContent"][0]
        assert profile["PayloadType"] == "Configuration", profile["PayloadType"]
        assert payload["PayloadType"] == "com.apple.security.root", payload["PayloadType"]
        print(profile["PayloadUUID"], payload["PayloadUUID"], hashlib.sha256(payload["PayloadContent"]).hexdigest().upper())
        """;

    private string Link(string extension) => $"/trust/ca/{server.AuthorityId}.{extension}";

    private async Task<string> ExpectedFingerprintAsync()
    {
        var storage = await server.OpenStorageAsync();
        var authority = (await new AuthorityService(storage, TimeProvider.System).ListAsync()).Single(a => a.Id == server.AuthorityId);
        var details = await new InventoryService(storage, TimeProvider.System).GetAsync(authority.CertificateId);
        return details.Value.Certificate.Sha256Fingerprint;
    }

    [Theory]
    [InlineData("crt", "application/x-x509-ca-cert")]
    [InlineData("cer", "application/pkix-cert")]
    [InlineData("mobileconfig", "application/x-apple-aspen-config")]
    [InlineData("sh", "text/x-shellscript; charset=utf-8")]
    public async Task Download_KnownCa_HasContentTypeAndSafeAttachmentName(string extension, string contentType)
    {
        using var response = await server.Client.GetAsync(new Uri(Link(extension), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        // The panel's one file-name rule, the same name the Authorities page gives the CA.
        Assert.Equal($"{DownloadFileName.Base(TrustServer.HostileCommonName)}.{extension}", disposition.FileName);
        Assert.Equal("Home_script_alert_1_script_Root", DownloadFileName.Base(TrustServer.HostileCommonName));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Crt_ParsesAsPemInOpenSsl_WithTheCasFingerprint()
    {
        var pem = await server.Client.GetByteArrayAsync(new Uri(Link("crt"), UriKind.Relative));

        var openssl = await ExternalProcess.RunAsync("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-ext", "basicConstraints"], input: pem);

        Assert.True(openssl.ExitCode == 0, openssl.Error);
        Assert.Contains("CA:TRUE", openssl.Output, StringComparison.Ordinal);
        Assert.Contains((await ExpectedFingerprintAsync()).Chunk(2).Select(p => new string(p)).Aggregate((a, b) => a + ":" + b), openssl.Output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cer_ParsesAsDerInOpenSsl_AndIsTheSameCertificate()
    {
        var der = await server.Client.GetByteArrayAsync(new Uri(Link("cer"), UriKind.Relative));

        var openssl = await ExternalProcess.RunAsync("openssl", ["x509", "-inform", "DER", "-noout", "-subject"], input: der);

        Assert.True(openssl.ExitCode == 0, openssl.Error);
        Assert.Contains("Home <script>", openssl.Output, StringComparison.Ordinal);
        Assert.Equal(await ExpectedFingerprintAsync(), Convert.ToHexString(SHA256.HashData(der)));
    }

    [Fact]
    public async Task MobileConfig_IsAPlistHoldingTheCertificate_WithStableUuids()
    {
        var first = await server.Client.GetByteArrayAsync(new Uri(Link("mobileconfig"), UriKind.Relative));
        var second = await server.Client.GetByteArrayAsync(new Uri(Link("mobileconfig"), UriKind.Relative));

        var python = await ExternalProcess.RunAsync("python3", ["-c", PlistCheck], input: first);

        Assert.True(python.ExitCode == 0, python.Error);
        var fields = python.Output.Trim().Split(' ');
        Assert.Equal(await ExpectedFingerprintAsync(), fields[2]);
        Assert.NotEqual(fields[0], fields[1]);
        Assert.Matches("^[0-9A-F]{8}-[0-9A-F]{4}-8[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$", fields[0]);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task EveryTrustResponse_HoldsNoKeyMaterial()
    {
        string[] paths = ["/trust", "/trust?host=nas.home.arpa", Link("crt"), Link("cer"), Link("mobileconfig"), Link("sh"), "/trust/qr.svg?host=10.0.0.2"];
        foreach (var path in paths)
        {
            var body = await server.Client.GetStringAsync(new Uri(path, UriKind.Relative));
            Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
            Assert.DoesNotContain("ENCRYPTED", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/trust/ca/999.crt")]
    [InlineData("/trust/ca/999.mobileconfig")]
    [InlineData("/trust/ca/-1.cer")]
    [InlineData("/trust/ca/99999999999999.sh")]
    [InlineData("/trust/ca/1.pem")]
    [InlineData("/trust/ca/..%2F..%2Fkey-encryption.key")]
    public async Task Download_UnknownCaOrFormat_Is404(string path)
    {
        using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("PRIVATE KEY", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/trust/ca/1.crt%00.key")]
    [InlineData("/trust/ca/1%2Ecrt")]
    [InlineData("/trust/ca/%31.crt/../../health")]
    public async Task Download_HostilePath_NeverFailsOrLeaksAKey(string path)
    {
        using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{response.StatusCode}");
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_NeedsNoLogin_OverPlainRequestWithoutCookies()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Link("cer"), UriKind.Relative));

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task LinuxScript_EmbedsOnlyTheCertificateAndSafeWords()
    {
        var script = await server.Client.GetStringAsync(new Uri(Link("sh"), UriKind.Relative));

        Assert.StartsWith("#!/bin/sh\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", script, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN CERTIFICATE-----", script, StringComparison.Ordinal);
        Assert.Contains("certutil -d \"sql:$db\" -A -t \"C,,\"", script, StringComparison.Ordinal);
        var syntax = await ExternalProcess.RunAsync("sh", ["-n"], input: Encoding.UTF8.GetBytes(script));
        Assert.True(syntax.ExitCode == 0, syntax.Error);
    }
}
