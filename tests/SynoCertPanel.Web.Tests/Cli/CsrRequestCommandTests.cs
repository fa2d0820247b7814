using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`csr list`, `csr show` and `csr cancel`: the pending requests made here and their keys.</summary>
public sealed class CsrRequestCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<int> CreateRequestAsync(string host)
    {
        var created = await _dir.RunJsonAsync("csr", "create", "--cn", host, "--san", host, "--key", "p256", "--out", _dir.File(host + ".csr"));
        return created.GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task CsrList_TwoRequests_NewestFirstWithNames()
    {
        var first = await CreateRequestAsync("nas1.home.arpa");
        var second = await CreateRequestAsync("nas2.home.arpa");

        var items = (await _dir.RunJsonAsync("csr", "list")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal([second, first], items.Select(i => i.GetProperty("id").GetInt32()));
        Assert.Equal("DNS:nas2.home.arpa", Assert.Single(items[0].GetProperty("alternativeNames").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task CsrShow_Request_PrintsTheCsrThatWasWritten()
    {
        var id = await CreateRequestAsync("nas1.home.arpa");

        var shown = await _dir.RunAsync("csr", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var json = await _dir.RunJsonAsync("csr", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, shown.ExitCode);
        var written = await File.ReadAllTextAsync(_dir.File("nas1.home.arpa.csr"));
        Assert.Equal(written.TrimEnd('\n'), shown.Output.TrimEnd('\n'));
        Assert.Equal(written, json.GetProperty("pem").GetString());
    }

    [Fact]
    public async Task CsrCancel_Request_RowAndKeyGoneAndAudited()
    {
        var kept = await CreateRequestAsync("nas1.home.arpa");
        var cancelled = await CreateRequestAsync("nas2.home.arpa");

        var result = await _dir.RunJsonAsync("csr", "cancel", cancelled.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.GetProperty("keyDestroyed").GetBoolean());
        var left = (await _dir.RunJsonAsync("csr", "list")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32());
        Assert.Equal([kept], left);
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_dir.Data))).Value;
        await using var db = storage.CreateContext();
        Assert.Equal(1, await db.PrivateKeys.CountAsync());
        var audit = await db.AuditEvents.OrderBy(a => a.Id).LastAsync();
        Assert.Equal((AuditActions.CancelRequest, AuditOutcome.Succeeded, "nas2.home.arpa"), (audit.Action, audit.Outcome, audit.Target));
    }

    [Fact]
    public async Task CsrCancel_SignedCertificateComesBackLater_ImportRefusedForWantOfTheKey()
    {
        var id = await CreateRequestAsync("nas1.home.arpa");
        await _dir.RunJsonAsync("csr", "cancel", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var signer = _dir.File("signer");
        await CliRun.RunAsync("ca", "create", "--cn", "Other Root", "--key", "p256", "--data", signer);
        var signed = await CliRun.RunAsync("csr", "sign", _dir.File("nas1.home.arpa.csr"), "--out", _dir.File("nas1.crt"), "--data", signer);
        Assert.True(signed.ExitCode == 0, signed.Error);

        var imported = await _dir.RunAsync("cert", "import", "--cert", _dir.File("nas1.crt"));

        CliDataDirectory.AssertRefused(imported, "no pending request or key held here belongs to this certificate");
    }

    [Fact]
    public async Task CsrCancel_Unknown_RefusedAndAudited()
    {
        await CreateRequestAsync("nas1.home.arpa");

        CliDataDirectory.AssertRefused(await _dir.RunAsync("csr", "cancel", "77"), "There is no pending request with id 77");
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_dir.Data))).Value;
        await using var db = storage.CreateContext();
        var audit = await db.AuditEvents.OrderBy(a => a.Id).LastAsync();
        Assert.Equal((AuditActions.CancelRequest, AuditOutcome.Refused), (audit.Action, audit.Outcome));
        Assert.Equal(1, await db.PendingRequests.CountAsync());
    }

    [Fact]
    public async Task CsrShow_Unknown_Refused()
    {
        CliDataDirectory.AssertRefused(await _dir.RunAsync("csr", "show", "5"), "There is no pending request with id 5");
    }
}
