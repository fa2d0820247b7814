using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Core.Tests;

public class RenewValidityTests
{
    [Fact]
    public async Task Renew_WithValidityDays_NewCertificateLivesThatLong()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa") with { SetAsDefault = false }, "admin")).Value;

        var renewal = await new RenewService(panel.Storage, panel.Time).RenewAsync(created.CertificateId, null, false, "admin", validityDays: 30);

        Assert.True(renewal.IsSuccess, renewal.Error);
        var renewed = (await panel.Inventory.GetAsync(renewal.Value.CertificateId!.Value)).Value.Certificate;
        Assert.Equal(30, Math.Round((renewed.NotAfter - renewed.NotBefore).TotalDays));
    }
}
