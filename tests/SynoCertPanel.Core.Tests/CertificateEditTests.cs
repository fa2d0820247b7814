using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

/// <summary>"Edit" (the description, what uses a certificate) and "Replace an existing certificate".</summary>
public class CertificateEditTests
{
    private static async Task<SelfSignedResult> CreateAsync(PanelFixture panel, string host, bool setAsDefault = false) =>
        (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest(host, host) with { SetAsDefault = setAsDefault }, "admin")).Value;

    private static async Task<int> IssueAsync(PanelFixture panel, int authorityId, string host)
    {
        var issued = await new AuthorityService(panel.Storage, panel.Time).IssueAsync(authorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create(host).Value,
            SubjectAlternativeNames = SanParser.ParseAll([host]).Value,
        }, host, setAsDefault: false, "admin");
        Assert.True(issued.IsSuccess, issued.Error);
        return issued.Value;
    }

    private static async Task<string> DescriptionAsync(PanelFixture panel, int id) => (await panel.Inventory.GetAsync(id)).Value.Summary.Description;

    [Fact]
    public async Task Describe_NewText_TrimmedStoredAndAuditedWithOldAndNewName()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, "nas1.home.arpa");

        var result = await panel.Inventory.DescribeAsync(created.CertificateId, "  NAS one (living room)  ", "admin");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal("NAS one (living room)", await DescriptionAsync(panel, created.CertificateId));
        var audit = await panel.LastAuditAsync();
        Assert.Equal((AuditActions.Describe, AuditOutcome.Succeeded, "nas1.home.arpa", created.CertificateId),
            (audit.Action, audit.Outcome, audit.Target, audit.CertificateId));
        Assert.Equal("now \"NAS one (living room)\"", audit.Detail);
    }

    public static TheoryData<string?, string> BadDescriptions => new()
    {
        { null, "The description is empty" },
        { "", "The description is empty" },
        { "   ", "The description is empty" },
        { new string('x', SelfSignedService.MaxDescriptionLength + 1), "at most 200 are allowed" },
        { "NAS\none", "control character" },
        { "NAS\tone", "control character" },
        { "NAS\0one", "control character" },
        { "NAS\u001bone", "control character" },
    };

    [Theory]
    [MemberData(nameof(BadDescriptions))]
    public async Task Describe_BadText_RefusedUnchangedAndTheRefusalAudited(string? description, string reason)
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, "nas1.home.arpa");

        var result = await panel.Inventory.DescribeAsync(created.CertificateId, description, "admin");

        Assert.False(result.IsSuccess);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Equal("nas1.home.arpa", await DescriptionAsync(panel, created.CertificateId));
        var audit = await panel.LastAuditAsync();
        Assert.Equal((AuditActions.Describe, AuditOutcome.Refused, result.Error), (audit.Action, audit.Outcome, audit.Detail));
    }

    [Fact]
    public async Task Describe_LongestAllowed_Stored()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, "nas1.home.arpa");
        var longest = new string('é', SelfSignedService.MaxDescriptionLength);

        Assert.True((await panel.Inventory.DescribeAsync(created.CertificateId, longest, "admin")).IsSuccess);

        Assert.Equal(longest, await DescriptionAsync(panel, created.CertificateId));
    }

    [Fact]
    public async Task Describe_UnknownCertificate_Refused()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var result = await panel.Inventory.DescribeAsync(42, "anything", "admin");

        Assert.Equal("There is no certificate with id 42.", result.Error);
    }

    [Fact]
    public async Task Usage_DefaultServerCertificate_ServedByThePanelOnly()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, "nas1.home.arpa", setAsDefault: true);

        var usage = (await panel.Inventory.FindUsageAsync(created.CertificateId)).Value;

        Assert.True(usage.ServedByPanel);
        Assert.Null(usage.Authority);
        Assert.Empty(usage.Intermediates);
        Assert.False(usage.Unused);
    }

    [Fact]
    public async Task Usage_RootWithIssuedCertificatesAndAnIntermediate_ListsTheAuthorityAndTheIntermediate()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var root = (await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Lab Root CA").Value,
            KeyAlgorithm = Pki.Keys.KeyAlgorithm.EcdsaP256,
            AllowIntermediates = true,
        }, "admin")).Value;
        await IssueAsync(panel, root.Id, "nas1.home.arpa");
        var intermediate = await authorities.CreateIntermediateAsync(root.Id, new IntermediateCaOptions { Subject = DistinguishedName.Create("Lab Issuing CA").Value },
            "admin");
        Assert.True(intermediate.IsSuccess, intermediate.Error);

        var usage = (await panel.Inventory.FindUsageAsync(root.CertificateId)).Value;

        Assert.False(usage.ServedByPanel);
        Assert.Equal(new AuthorityUse(root.Id, "Lab Root CA", 2), usage.Authority);
        Assert.Equal([new AuthorityUse(intermediate.Value.Id, "Lab Issuing CA", 0)], usage.Intermediates);
    }

    [Fact]
    public async Task Usage_CertificateNothingUses_Unused()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, "nas1.home.arpa");

        Assert.True((await panel.Inventory.FindUsageAsync(created.CertificateId)).Value.Unused);
        Assert.Equal("There is no certificate with id 99.", (await panel.Inventory.FindUsageAsync(99)).Error);
    }

    [Fact]
    public async Task Replace_DefaultCertificate_NewOneIsDefaultOldMarkedAndListedOnce()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var old = await CreateAsync(panel, "nas1.home.arpa", setAsDefault: true);
        var replacement = await IssueAsync(panel, old.AuthorityId, "nas1.home.arpa");

        var result = await panel.Inventory.ReplaceAsync(old.CertificateId, replacement, moveDefault: true, "admin");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(new ReplacedCertificate(old.CertificateId, replacement, OldWasDefault: true), result.Value);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(replacement, await DefaultCertificate.GetAsync(db));
        Assert.Equal(replacement, (await db.Certificates.SingleAsync(c => c.Id == old.CertificateId)).ReplacedById);
        var listed = (await panel.Inventory.ListAsync(new CertificateQuery { Search = "nas1.home.arpa" })).Items.Where(i => !i.IsCertificateAuthority);
        Assert.Equal([replacement], listed.Select(i => i.Id));
        var actions = await db.AuditEvents.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal([AuditActions.SetDefault, AuditActions.Replace], actions[^2..]);
    }

    [Fact]
    public async Task Replace_WithoutMovingTheDefault_SaysTheOldOneWasItAndLeavesItForThePageToApply()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var old = await CreateAsync(panel, "nas1.home.arpa", setAsDefault: true);
        var replacement = await IssueAsync(panel, old.AuthorityId, "nas1.home.arpa");

        var result = await panel.Inventory.ReplaceAsync(old.CertificateId, replacement, moveDefault: false, "admin");

        Assert.True(result.Value.OldWasDefault);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(old.CertificateId, await DefaultCertificate.GetAsync(db));
    }

    [Fact]
    public async Task Replace_NotDefault_DefaultStaysWhereItWas()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var served = await CreateAsync(panel, "nas1.home.arpa", setAsDefault: true);
        var old = await IssueAsync(panel, served.AuthorityId, "printer.home.arpa");
        var replacement = await IssueAsync(panel, served.AuthorityId, "printer.home.arpa");

        var result = await panel.Inventory.ReplaceAsync(old, replacement, moveDefault: true, "admin");

        Assert.False(result.Value.OldWasDefault);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(served.CertificateId, await DefaultCertificate.GetAsync(db));
    }

    [Fact]
    public async Task Replace_RefusedCases_SayWhyChangeNothingAndAreAudited()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, "nas1.home.arpa");
        var second = await IssueAsync(panel, created.AuthorityId, "nas1.home.arpa");
        var third = await IssueAsync(panel, created.AuthorityId, "nas1.home.arpa");
        Assert.True((await panel.Inventory.ReplaceAsync(created.CertificateId, second, true, "admin")).IsSuccess);

        Assert.Equal("A certificate cannot replace itself.", (await panel.Inventory.ReplaceAsync(third, third, true, "admin")).Error);
        Assert.Equal($"Certificate {created.CertificateId} was already replaced by certificate {second}.",
            (await panel.Inventory.ReplaceAsync(created.CertificateId, third, true, "admin")).Error);
        Assert.Equal($"Certificate {created.CertificateId} was itself replaced; choose the current one.",
            (await panel.Inventory.ReplaceAsync(third, created.CertificateId, true, "admin")).Error);
        Assert.Contains("is a CA held here", (await panel.Inventory.ReplaceAsync(created.AuthorityCertificateId, third, true, "admin")).Error,
            StringComparison.Ordinal);
        Assert.Contains("is a CA held here", (await panel.Inventory.ReplaceAsync(third, created.AuthorityCertificateId, true, "admin")).Error,
            StringComparison.Ordinal);
        Assert.Equal("There is no certificate with id 99.", (await panel.Inventory.ReplaceAsync(third, 99, true, "admin")).Error);

        await using var db = panel.Storage.CreateContext();
        Assert.Null((await db.Certificates.SingleAsync(c => c.Id == third)).ReplacedById);
        Assert.Equal(AuditOutcome.Refused, (await panel.LastAuditAsync()).Outcome);
        Assert.Equal(6, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.Replace && a.Outcome == AuditOutcome.Refused));
    }
}
