using System.Globalization;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Core.Tests;

/// <summary>A renewal's validity counts from the day of renewal, and the new certificate takes the old one's place.</summary>
public class RenewReplacementTests
{
    private static async Task<SelfSignedResult> CreateAsync(PanelFixture panel, int days, bool setAsDefault)
    {
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa", "192.168.1.10");
        return (await panel.SelfSigned.CreateAsync(request with { Server = request.Server with { ValidityDays = days }, SetAsDefault = setAsDefault }, "admin")).Value;
    }

    [Fact]
    public async Task Renew_TwelveDayCertificateOnItsFirstDay_EndsTheChosenDaysFromThenAndOpenSslVerifiesIt()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, 12, setAsDefault: false);
        var dayOne = new ShiftedClock(TimeSpan.FromDays(1));

        var renewal = await new RenewService(panel.Storage, dayOne).RenewAsync(created.CertificateId, null, false, "admin", validityDays: 30);

        Assert.True(renewal.IsSuccess, renewal.Error);
        var old = (await panel.Inventory.GetAsync(created.CertificateId)).Value.Certificate;
        var renewed = (await panel.Inventory.GetAsync(renewal.Value.CertificateId!.Value)).Value;
        var expectedEnd = dayOne.GetUtcNow().AddDays(30);
        // NotBefore is backdated by the clock-skew allowance and the lifetime is exactly the chosen days.
        Assert.InRange(renewed.Certificate.NotAfter, expectedEnd.AddHours(-1).AddSeconds(-2), expectedEnd);
        Assert.Equal(TimeSpan.FromDays(30), renewed.Certificate.Validity);
        Assert.True(renewed.Certificate.NotAfter > old.NotAfter.AddDays(18));

        var dir = Directory.CreateDirectory(Path.Combine(panel.Path, "out")).FullName;
        File.WriteAllText(Path.Combine(dir, "root.pem"), renewed.Chain[^1].ToPem());
        File.WriteAllText(Path.Combine(dir, "leaf.pem"), renewed.Certificate.ToPem());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", "192.168.1.10",
            "-attime", dayOne.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "-CAfile", Path.Combine(dir, "root.pem"), Path.Combine(dir, "leaf.pem"));
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public async Task Renew_NoValidityChosen_OldLifetimeCountedFromNow()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, 12, setAsDefault: false);
        var dayOne = new ShiftedClock(TimeSpan.FromDays(1));
        var service = new RenewService(panel.Storage, dayOne);

        var plan = (await service.PlanAsync(created.CertificateId)).Value;
        var renewal = await service.RenewAsync(created.CertificateId, null, false, "admin");

        Assert.Equal(12, plan.DefaultValidityDays);
        Assert.Equal(825, plan.MaxValidityDays);
        var renewed = (await panel.Inventory.GetAsync(renewal.Value.CertificateId!.Value)).Value.Certificate;
        Assert.Equal(TimeSpan.FromDays(12), renewed.Validity);
        Assert.Equal(plan.NewNotAfter(dayOne.GetUtcNow(), 12)!.Value.Date, renewed.NotAfter.Date);
    }

    [Fact]
    public async Task Renew_IssuedHere_OldMarkedReplacedAndHiddenFromTheCurrentList()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, 12, setAsDefault: true);
        var service = new RenewService(panel.Storage, panel.Time);
        var plan = (await service.PlanAsync(created.CertificateId)).Value;

        var renewal = await service.RenewAsync(created.CertificateId, null, plan.IsDefault, "admin");

        var renewedId = renewal.Value.CertificateId!.Value;
        Assert.True(plan.IsDefault);
        Assert.True((await panel.Inventory.GetAsync(renewedId)).Value.Summary.IsDefault);
        var current = await panel.Inventory.ListAsync(new CertificateQuery());
        Assert.DoesNotContain(current.Items, i => i.Id == created.CertificateId);
        Assert.Equal(current.Items.Count, current.TotalCount);
        var all = await panel.Inventory.ListAsync(new CertificateQuery { IncludeReplaced = true });
        Assert.Equal(current.TotalCount + 1, all.TotalCount);
        Assert.Equal(renewedId, all.Items.Single(i => i.Id == created.CertificateId).ReplacedById);
        var searched = await panel.Inventory.ListAsync(new CertificateQuery { Search = "nas1" });
        Assert.Equal([renewedId], searched.Items.Where(i => !i.IsCertificateAuthority).Select(i => i.Id));
    }

    [Fact]
    public async Task Delete_TheRenewal_OldCertificateIsCurrentAgain()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await CreateAsync(panel, 12, setAsDefault: false);
        var renewal = await new RenewService(panel.Storage, panel.Time).RenewAsync(created.CertificateId, null, false, "admin");

        Assert.True((await panel.Inventory.DeleteAsync(renewal.Value.CertificateId!.Value, force: false, "admin")).IsSuccess);

        var old = (await panel.Inventory.ListAsync(new CertificateQuery())).Items.Single(i => i.Id == created.CertificateId);
        Assert.Null(old.ReplacedById);
    }

    [Fact]
    public async Task Import_SignedAnswerToPendingRenewal_ReplacesTheOldCertificateAndTakesTheDefault()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var pki = OpenSslHierarchy.Create(Path.Combine(panel.Path, "pki"));
        var imported = (await panel.Import.ImportAsync(PanelFixture.Files(pki.LeafKey, pki.LeafCert, pki.Chain), "admin")).Value;
        Assert.True((await panel.Inventory.SetDefaultAsync(imported.CertificateId, "admin")).IsSuccess);
        var renewal = await new RenewService(panel.Storage, panel.Time).RenewAsync(imported.CertificateId, null, false, "admin");
        File.WriteAllText(pki.File("renew.csr"), renewal.Value.Request!.Request.ToPem());
        File.WriteAllText(pki.File("renew.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            + "subjectAltName=DNS:nas.home.arpa,IP:192.168.1.10\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        pki.Openssl("x509", "-req", "-in", "renew.csr", "-CA", pki.IntermediateCert, "-CAkey", pki.IntermediateKey, "-set_serial", "0x7e57",
            "-days", "20", "-sha256", "-extfile", "renew.ext", "-out", "renewed.pem");

        var answer = await panel.Import.ImportAsync(PanelFixture.Files(pki.File("renewed.pem"), pki.Chain), "admin");

        Assert.True(answer.IsSuccess, answer.Error);
        Assert.Equal(renewal.Value.Request.Id, answer.Value.CompletedRequestId);
        var all = await panel.Inventory.ListAsync(new CertificateQuery { IncludeReplaced = true });
        Assert.Equal(answer.Value.CertificateId, all.Items.Single(i => i.Id == imported.CertificateId).ReplacedById);
        Assert.True(all.Items.Single(i => i.Id == answer.Value.CertificateId).IsDefault);
        Assert.Equal([answer.Value.CertificateId], (await panel.Inventory.ListAsync(new CertificateQuery())).Items.Select(i => i.Id));
    }
}
