using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Lint;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public class IssuancePreviewTests
{
    [Fact]
    public async Task PreviewSelfSigned_ValidRequest_EveryClientAcceptsAndNothingIsStoredOrAudited()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa", "127.0.0.1");

        var preview = panel.SelfSigned.Preview(request);

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.All(preview.Value.Report.Verdicts, v => Assert.True(v.Accepts, v.Client.ToString()));
        Assert.Equal(["DNS:nas1.home.arpa", "IP:127.0.0.1"], preview.Value.Certificate.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Equal("CN=nas1.home.arpa Root CA", Assert.Single(preview.Value.Chain).SubjectText);
        Assert.Equal((0, 0, 0, 0), await panel.CountRowsAsync());
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(0, await db.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task PreviewSelfSigned_RsaKeyChosen_PlannedCertificateCarriesThatKeyType()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa");
        request = request with { Server = request.Server with { KeyAlgorithm = KeyAlgorithm.Rsa2048 } };

        var preview = panel.SelfSigned.Preview(request);

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Equal(KeyAlgorithm.Rsa2048, preview.Value.Certificate.PublicKey.Algorithm);
        Assert.Equal(KeyAlgorithm.EcdsaP256, preview.Value.Chain[0].PublicKey.Algorithm);
    }

    [Fact]
    public async Task PreviewSelfSigned_PanelReachedByNameNotCovered_NamesTheHostApartFromTheClientVerdicts()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var preview = panel.SelfSigned.Preview(PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa"), host: "192.168.1.20");

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Equal("192.168.1.20", preview.Value.UncoveredHost);
        Assert.DoesNotContain(preview.Value.Report.Findings, f => f.RuleId == "e_sub_cert_host_not_covered");
        Assert.True(preview.Value.Report.Accepts(TlsClients.Chrome));
    }

    [Fact]
    public async Task PreviewSelfSigned_NotToBeDefault_IgnoresTheHost()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa") with { SetAsDefault = false };

        var preview = panel.SelfSigned.Preview(request, host: "192.168.1.20");

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.DoesNotContain(preview.Value.Report.Findings, f => f.RuleId == "e_sub_cert_host_not_covered");
        Assert.Null(preview.Value.UncoveredHost);
    }

    [Theory]
    [InlineData(0, "at least one day")]
    [InlineData(826, "at most 825 days")]
    public async Task PreviewSelfSigned_BadValidity_RefusedWithTheServicesMessage(int days, string message)
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa");
        request = request with { Server = request.Server with { ValidityDays = days } };

        var preview = panel.SelfSigned.Preview(request);

        Assert.False(preview.IsSuccess);
        Assert.Contains(message, preview.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewSelfSigned_NoNames_RefusedAsCreateWould()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa");
        request = request with { Server = request.Server with { Subject = DistinguishedName.Create("My NAS").Value } };

        var preview = panel.SelfSigned.Preview(request);

        Assert.False(preview.IsSuccess);
        Assert.Contains("at least one DNS name or IP address", preview.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0), await panel.CountRowsAsync());
    }

    [Fact]
    public async Task PreviewIssue_CaHeldHere_ChainEndsAtThatCaAndNothingIsStored()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa"), "admin")).Value;
        var before = await panel.CountRowsAsync();
        var options = new LeafOptions { SubjectAlternativeNames = SanParser.ParseAll(["nas2.home.arpa", "192.168.1.11"]).Value, KeyAlgorithm = KeyAlgorithm.EcdsaP384 };

        var preview = await new AuthorityService(panel.Storage, panel.Time).PreviewIssueAsync(created.AuthorityId, options);

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Equal("CN=nas1.home.arpa Root CA", Assert.Single(preview.Value.Chain).SubjectText);
        Assert.Equal("CN=nas2.home.arpa", preview.Value.Certificate.SubjectText);
        Assert.Equal(KeyAlgorithm.EcdsaP384, preview.Value.Certificate.PublicKey.Algorithm);
        Assert.False(preview.Value.Report.HasErrors, preview.Value.Report.ToString());
        Assert.Equal(before, await panel.CountRowsAsync());
    }

    [Fact]
    public async Task PreviewIssue_UnknownAuthority_ClearMessage()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var preview = await new AuthorityService(panel.Storage, panel.Time).PreviewIssueAsync(404, new LeafOptions { SubjectAlternativeNames = [SubjectAlternativeName.Dns("a.home.arpa")] });

        Assert.False(preview.IsSuccess);
        Assert.Contains("no CA with id 404", preview.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanRenewal_IssuerHeldHere_KeepsNamesAndSaysItIssuesAtOnce()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa", "192.168.1.10"), "admin")).Value;

        var plan = await new RenewService(panel.Storage, panel.Time).PlanAsync(created.CertificateId);

        Assert.True(plan.IsSuccess, plan.Error);
        Assert.Equal(created.AuthorityId, plan.Value.AuthorityId);
        Assert.Equal("CN=nas1.home.arpa Root CA", plan.Value.AuthoritySubject);
        Assert.True(plan.Value.IsDefault);
        Assert.Equal(KeyAlgorithm.EcdsaP256, plan.Value.CurrentKeyAlgorithm);
        Assert.Equal(["DNS:nas1.home.arpa", "IP:192.168.1.10"], plan.Value.Names.Select(n => n.ToString()));
    }

    [Fact]
    public async Task PlanRenewal_IssuerGone_BecomesAPendingRequest()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa") with { SetAsDefault = false }, "admin")).Value;
        Assert.True((await panel.Inventory.DeleteAsync(created.AuthorityCertificateId, force: true, "admin")).IsSuccess);

        var plan = await new RenewService(panel.Storage, panel.Time).PlanAsync(created.CertificateId);

        Assert.True(plan.IsSuccess, plan.Error);
        Assert.Null(plan.Value.AuthorityId);
        Assert.False(plan.Value.IsDefault);
    }

    [Fact]
    public async Task PlanRenewal_CaCertificate_RefusedAndNotAudited()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa"), "admin")).Value;
        await using var before = panel.Storage.CreateContext();
        var audits = await before.AuditEvents.CountAsync();

        var plan = await new RenewService(panel.Storage, panel.Time).PlanAsync(created.AuthorityCertificateId);

        Assert.False(plan.IsSuccess);
        Assert.Contains("creating a new CA", plan.Error, StringComparison.Ordinal);
        await using var after = panel.Storage.CreateContext();
        Assert.Equal(audits, await after.AuditEvents.CountAsync());
    }
}
