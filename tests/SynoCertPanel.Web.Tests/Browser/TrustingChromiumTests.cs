using Microsoft.Playwright;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The promise of the panel, end to end: once a device trusts the panel's root CA, the panel itself (serving a
/// certificate that CA made for nas1.home.arpa and 127.0.0.1, set as default) opens by name and by IP address with no
/// warning; a device without the root gets the certificate error.
/// </summary>
public sealed class TrustingChromiumTests
{
    private const string RootName = "Home Lab Root CA";
    private const string HostName = "nas1.home.arpa";

    [Fact]
    public async Task PanelWithDefaultFromOwnCa_TrustingBrowserOpensByNameAndIp_ControlGetsAuthorityInvalid()
    {
        var rootPem = string.Empty;
        await using var panel = await BrowserPanel.StartAsync(async storage =>
        {
            var authorities = new AuthorityService(storage, TimeProvider.System);
            var root = await authorities.CreateRootAsync(new RootCaOptions
            {
                Subject = DistinguishedName.Create(RootName, "Home Lab").Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            }, "admin");
            Assert.True(root.IsSuccess, root.Error);
            var issued = await authorities.IssueAsync(root.Value.Id, new LeafOptions
            {
                SubjectAlternativeNames = SanParser.ParseAll([HostName, "127.0.0.1"]).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            }, "NAS", setAsDefault: true, "admin");
            Assert.True(issued.IsSuccess, issued.Error);
            rootPem = await HomeLabInventory.RootPemAsync(storage);
        });
        using var playwright = await Playwright.CreateAsync();
        await using var trusting = await TrustingChromium.TrustingAsync(playwright, rootPem, RootName, [HostName]);
        await using var control = await TrustingChromium.ControlAsync(playwright, [HostName]);
        var byName = $"https://{HostName}:{panel.Port}/login";
        var byIp = $"https://127.0.0.1:{panel.Port}/login";

        var trustedByName = await trusting.OpenAsync(byName);
        var trustedByIp = await trusting.OpenAsync(byIp);
        var refusedByName = await control.OpenAsync(byName);
        var refusedByIp = await control.OpenAsync(byIp);

        foreach (var (response, error) in new[] { trustedByName, trustedByIp })
        {
            Assert.True(error is null, error);
            Assert.True(response!.Ok, $"{response.Url} answered {response.Status}");
            var security = await response.SecurityDetailsAsync();
            Assert.Equal(RootName, security?.Issuer);
            Assert.Equal(HostName, security?.SubjectName);
        }

        foreach (var (response, error) in new[] { refusedByName, refusedByIp })
        {
            Assert.Null(response);
            Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", error, StringComparison.Ordinal);
        }
    }
}
