using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public class RequestCancelTests
{
    private static async Task<PendingRequest> CreateAsync(PanelFixture panel, string host) =>
        (await new RequestService(panel.Storage, panel.Time).CreateAsync(DistinguishedName.Create(host).Value, SanParser.ParseAll([host]).Value,
            KeyAlgorithm.EcdsaP256, string.Empty, "admin")).Value;

    [Fact]
    public async Task Cancel_PendingRequest_RowAndSealedKeyDeletedAndAudited()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var kept = await CreateAsync(panel, "nas1.home.arpa");
        var cancelled = await CreateAsync(panel, "nas2.home.arpa");

        var result = await new RequestService(panel.Storage, panel.Time).CancelAsync(cancelled.Id, "admin");

        Assert.True(result.IsSuccess, result.Error);
        Assert.True(result.Value.KeyDestroyed);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal([kept.Id], await db.PendingRequests.Select(p => p.Id).ToListAsync());
        Assert.Equal((await db.PendingRequests.SingleAsync()).PrivateKeyId, Assert.Single(await db.PrivateKeys.ToListAsync()).Id);
        var audit = await panel.LastAuditAsync();
        Assert.Equal((AuditActions.CancelRequest, AuditOutcome.Succeeded, "admin"), (audit.Action, audit.Outcome, audit.Actor));
        Assert.Contains("destroyed", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_RenewalRequest_AuditedAgainstTheRenewedCertificate()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa") with { SetAsDefault = false }, "admin")).Value;
        Assert.True((await panel.Inventory.DeleteAsync(created.AuthorityCertificateId, force: true, "admin")).IsSuccess);
        var renewal = (await new RenewService(panel.Storage, panel.Time).RenewAsync(created.CertificateId, null, false, "admin")).Value;

        var result = await new RequestService(panel.Storage, panel.Time).CancelAsync(renewal.Request!.Id, "admin");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(created.CertificateId, (await panel.LastAuditAsync()).CertificateId);
        Assert.Equal(0, (await panel.CountRowsAsync()).Pending);
    }

    [Fact]
    public async Task Cancel_Unknown_RefusedNothingDeleted()
    {
        await using var panel = await PanelFixture.CreateAsync();
        await CreateAsync(panel, "nas1.home.arpa");
        var before = await panel.CountRowsAsync();

        var result = await new RequestService(panel.Storage, panel.Time).CancelAsync(99, "admin");

        Assert.Equal("There is no pending request with id 99.", result.Error);
        Assert.Equal(before, await panel.CountRowsAsync());
        Assert.Equal(AuditOutcome.Refused, (await panel.LastAuditAsync()).Outcome);
    }
}
