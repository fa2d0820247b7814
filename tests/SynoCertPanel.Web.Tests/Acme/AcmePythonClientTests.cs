using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// Debian's python3-acme 2.1, scripted by acme_client_cases.py, against the real panel: IP identifiers, key change,
/// deactivation, both ways of revoking, and the refusals no packaged client provokes, each with the RFC's error type.
/// </summary>
public sealed class AcmePythonClientTests
{
    [Fact]
    public async Task PythonAcme_EachCase_GetsWhatRfc8555Says()
    {
        await using var lab = await AcmeLab.StartAsync();
        var eab = await lab.CreateEabKeyAsync("python-acme");
        var httpPort = AcmeLab.FreePort();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = httpPort });
        var output = lab.Panel.FilePath("python-acme");
        Directory.CreateDirectory(output);

        // Debian's interpreter, where python3-acme is installed (not whichever python3 comes first on PATH).
        var run = await ExternalProcess.RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Acme", "acme_client_cases.py"),
                "--directory", lab.DirectoryUrl, "--eab-kid", eab.KeyId, "--eab-hmac", eab.HmacKey, "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--outside", "www.example.com", "--out", output],
            new Dictionary<string, string> { ["REQUESTS_CA_BUNDLE"] = lab.PanelTrustFile }, timeout: TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var cases = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(c => c.GetProperty("case").GetString()!);
        Assert.Equal(["eab-missing", "eab-wrong-mac", "account", "ip-identifier", "csr-extra-name", "outside-policy", "replayed-nonce", "wrong-url",
            "alg-none", "revoke-by-account", "revoke-by-key", "key-change", "deactivate"], cases.Keys);

        Refused(cases["eab-missing"], 400, "externalAccountRequired");
        Refused(cases["eab-wrong-mac"], 403, "unauthorized", "the EAB key id or its HMAC key is wrong");
        Refused(cases["csr-extra-name"], 400, "badCSR", "extra.home.arpa");
        Refused(cases["outside-policy"], 400, "rejectedIdentifier", "www.example.com");
        Refused(cases["replayed-nonce"], 400, "badNonce");
        Assert.Equal((200, true, 200), (Number(cases["replayed-nonce"], "first"), cases["replayed-nonce"].GetProperty("replayNonce").GetBoolean(),
            Number(cases["replayed-nonce"], "retry")));
        Refused(cases["wrong-url"], 403, "unauthorized", "\"url\"");
        Refused(cases["alg-none"], 400, "badSignatureAlgorithm");
        Succeeded(cases["revoke-by-account"], 200);
        Assert.Equal("alreadyRevoked", Text(cases["revoke-by-account"], "again"));
        Succeeded(cases["revoke-by-key"], 200);
        Succeeded(cases["key-change"], 200);
        Assert.Equal(("accountDoesNotExist", 200, true), (Text(cases["key-change"], "old"), Number(cases["key-change"], "new"),
            cases["key-change"].GetProperty("sameAccount").GetBoolean()));
        Succeeded(cases["deactivate"], 200);
        Assert.Equal((AcmeStatus.Deactivated, "unauthorized"), (Text(cases["deactivate"], "accountStatus"), Text(cases["deactivate"], "after")));

        var certificateFile = Text(cases["ip-identifier"], "certificate");
        foreach (var address in new[] { "127.0.0.1", "::1" })
        {
            var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", lab.RootFile,
                "-verify_ip", address, certificateFile]);
            Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        }

        await AcmeTls.AssertServedAsync(certificateFile, Text(cases["ip-identifier"], "key"), "127.0.0.1", lab.RootFile);

        await using var db = lab.Storage.CreateContext();
        Assert.Equal([4, 1], await db.Revocations.OrderBy(r => r.Id).Select(r => r.Reason).ToListAsync());
        var account = await db.AcmeAccounts.SingleAsync();
        Assert.Equal(AcmeStatus.Deactivated, account.Status);
        Assert.Equal(eab.KeyId, (await db.AcmeEabKeys.SingleAsync(k => k.AccountId == account.Id)).KeyId);
        var orders = await db.AcmeOrders.OrderBy(o => o.Id).Select(o => new { o.Status, o.Identifiers }).ToListAsync();
        Assert.DoesNotContain(orders, o => o.Identifiers.Contains("example.com", StringComparison.Ordinal));
        // The order left ready by the refused CSR ends with the account.
        Assert.Equal([AcmeStatus.Valid, AcmeStatus.Invalid, AcmeStatus.Valid], orders.Select(o => o.Status));
    }

    private static void Refused(JsonElement outcome, int status, string type, string? detail = null)
    {
        Assert.True(outcome.GetProperty("status").GetInt32() == status && Text(outcome, "type") == type, outcome.ToString());
        Assert.False(string.IsNullOrWhiteSpace(Text(outcome, "detail")), outcome.ToString());
        if (detail is not null)
        {
            Assert.Contains(detail, Text(outcome, "detail"), StringComparison.Ordinal);
        }
    }

    private static void Succeeded(JsonElement outcome, int status) =>
        Assert.True(outcome.GetProperty("status").GetInt32() == status && outcome.GetProperty("type").ValueKind == JsonValueKind.Null, outcome.ToString());

    private static string Text(JsonElement outcome, string name) => outcome.GetProperty(name).GetString() ?? "";

    private static int Number(JsonElement outcome, string name) => outcome.GetProperty(name).GetInt32();
}
