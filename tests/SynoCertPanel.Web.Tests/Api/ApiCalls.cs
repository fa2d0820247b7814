using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>What the tests of the calls that change the inventory do again and again: send JSON, read answers, check the log and the keys.</summary>
internal static class ApiCalls
{
    public static Task<HttpResponseMessage> SendJsonAsync(this ApiPanel api, HttpMethod method, string path, string token, string? json,
        string mediaType = "application/json") =>
        api.SendAsync(method, path, "Bearer " + token, content: json is null ? null : new StringContent(json, Encoding.UTF8, mediaType));

    /// <summary>The answer's JSON after checking its status; the body never holds a private key.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>The newest audit event of this action.</summary>
    public static async Task<AuditEventRecord> LastAuditAsync(this ApiPanel api, string action)
    {
        await using var db = api.Storage.CreateContext();
        return await db.AuditEvents.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).LastAsync();
    }

    public static async Task<int> CountAsync(this ApiPanel api)
    {
        await using var db = api.Storage.CreateContext();
        return await db.Certificates.CountAsync() + await db.PendingRequests.CountAsync() + await db.PrivateKeys.CountAsync();
    }

    public static async Task<int> CertificateIdAsync(this ApiPanel api, string host) =>
        (await new InventoryService(api.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery { Search = host }, 0, null)).Items
        .Single(c => !c.IsCertificateAuthority && c.CommonName == host).Id;

    /// <summary>openssl's strict verification of a certificate document's PEM against the chain it came with.</summary>
    public static void VerifyWithOpenSsl(this ApiPanel api, JsonElement document, params string[] check)
    {
        var name = Guid.NewGuid().ToString("N");
        var leaf = api.Panel.FilePath(name + ".pem");
        var chain = api.Panel.FilePath(name + "-chain.pem");
        File.WriteAllText(leaf, document.GetProperty("certificatePem").GetString());
        File.WriteAllText(chain, document.GetProperty("chainPem").GetString());
        var verify = OpenSslHierarchy.Run("openssl", ["verify", "-x509_strict", "-purpose", "sslserver", .. check, "-CAfile", chain, leaf]);
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    /// <summary>The SHA-256 fingerprint a fresh TLS handshake with the panel's listener gets.</summary>
    public static async Task<string> ServedFingerprintAsync(this ApiPanel api)
    {
        var served = await HandshakeProbe.ServedThumbprintAsync(new IPEndPoint(IPAddress.Loopback, api.Panel.Port), "localhost", TimeSpan.FromSeconds(10));
        Assert.True(served.IsSuccess, served.Error);
        return served.Value;
    }
}
