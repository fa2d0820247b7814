using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Web.Components.Acme;
using SynoCertPanel.Web.Components.Pages;
using SynoCertPanel.Web.Tests.Components;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// The ACME page over a real database: no CA, a CA without a directory, turning it on through the policy dialog, refusals
/// with the command line's sentences and nothing stored, an EAB key shown once, accounts, failed orders and revocations.
/// </summary>
public sealed class AcmePageTests : PanelComponentTest
{
    private IRenderedComponent<MudDialogProvider> Dialogs { get; set; } = null!;

    private AcmeDirectoryService Directories => Services.GetRequiredService<AcmeDirectoryService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (Dialogs, _) = RenderProviders();
    }

    private async Task<int> CreateAuthorityAsync(string name = "Lab Root CA", NameConstraints? constraints = null)
    {
        var root = await new AuthorityService(Storage, Time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create(name).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            NameConstraints = constraints ?? NameConstraints.HomeLab,
        }, UserName);
        Assert.True(root.IsSuccess, root.Error);
        return root.Value.Id;
    }

    private async Task<int> EnabledAsync(AcmePolicyDraft? draft = null)
    {
        var id = await CreateAuthorityAsync();
        var on = await Directories.EnableAsync(id, draft ?? new AcmePolicyDraft(), UserName);
        Assert.True(on.IsSuccess, on.Error);
        return id;
    }

    private IRenderedComponent<AcmePage> Open(int? authorityId = null)
    {
        if (authorityId is { } id)
        {
            Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"/acme?ca={id}");
        }

        return Render<AcmePage>();
    }

    /// <summary>A MudBlazor field carries its data-testid on the input itself; a check box or switch on a wrapper.</summary>
    private static string Field(string testId) => $"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input";

    private void Type(string testId, string value) => Dialogs.Find(Field(testId)).Input(value);

    [Fact]
    public void Page_NoCa_SaysToCreateOneFirst()
    {
        var page = Open();

        page.WaitForAssertion(() => Assert.Contains("No CA is held here yet", page.Find("[data-testid=acme-no-ca]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=acme-ca-picker]"));
    }

    [Fact]
    public async Task Page_CaWithoutDirectory_TurnOnWithTheDefaults_ShowsTheUrlAndPolicy()
    {
        var id = await CreateAuthorityAsync();
        var page = Open(id);
        page.WaitForAssertion(() => Assert.Contains("has no ACME directory yet", page.Find("[data-testid=acme-no-directory]").TextContent, StringComparison.Ordinal));

        page.Find("[data-testid=acme-enable]").Click();
        Dialogs.WaitForElement("[data-testid=acme-policy-dialog]");
        Assert.Equal("90", Dialogs.Find(Field("acme-lifetime")).GetAttribute("value"));
        // The challenge choices come from the list the server validates, never a fixed set.
        Assert.Equal(AcmeChallengeTypes.All.Count, Dialogs.FindAll("[data-testid^=acme-challenge-]").Count);
        Assert.Contains("Empty: the CA's name constraints (home.arpa, lan, internal, localhost)", Dialogs.Markup, StringComparison.Ordinal);
        Dialogs.Find("[data-testid=acme-policy-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("On", page.Find("[data-testid=acme-state]").TextContent.Trim()));
        Assert.Equal($"http://localhost/acme/{id}/directory", page.Find(Field("acme-directory-url")).GetAttribute("value"));
        Assert.Contains("(the CA's name constraints)", page.Find("[data-testid=acme-policy-names]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Required", page.Find("[data-testid=acme-policy-eab]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("is on: clients can use", page.Find("[data-testid=acme-outcome]").TextContent, StringComparison.Ordinal);
        var crl = page.Find("[data-testid=acme-policy-crl]").TextContent;
        Assert.Contains($"http://localhost/acme/{id}/crl", crl, StringComparison.Ordinal);
        Assert.Contains("do not name it", crl, StringComparison.Ordinal);
        var shown = await Directories.ShowAsync(id);
        Assert.True(shown.Value.Enabled);
        Assert.Equal(AcmePolicy.DefaultLifetime, shown.Value.Policy.Lifetime);
        // What a new directory offers by default: dns-01 waits until the operator turns it on.
        Assert.Equal(AcmeChallengeTypes.Defaults.Order(), shown.Value.Policy.Challenges.Order());
        Assert.False(shown.Value.Policy.PointToCrl);
    }

    [Fact]
    public async Task PolicyDialog_CrlSwitch_MakesCertificatesNameTheCrl_AndTheOverviewSaysSo()
    {
        var id = await EnabledAsync(new AcmePolicyDraft());
        var page = Open(id);
        page.WaitForElement("[data-testid=acme-edit]").Click();
        Dialogs.WaitForElement("[data-testid=acme-policy-dialog]");
        Assert.Contains("may refuse the certificate", Dialogs.Find("[data-testid=acme-crl-note]").TextContent, StringComparison.Ordinal);
        Dialogs.Find(Field("acme-point-to-crl")).Change(true);
        Dialogs.Find("[data-testid=acme-policy-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("Certificates issued here name it.", page.Find("[data-testid=acme-policy-crl]").TextContent, StringComparison.Ordinal));
        Assert.True((await Directories.ShowAsync(id)).Value.Policy.PointToCrl);
    }

    [Theory]
    [InlineData("acme-lifetime", "500", "The lifetime must be whole hours from 1 hour to 397 days (browsers refuse longer); 90 days is usual.")]
    [InlineData("acme-lifetime", "ninety", "The lifetime must be whole hours from 1 hour to 397 days (browsers refuse longer); 90 days is usual.")]
    [InlineData("acme-http-port", "70000", "Validation ports must be from 1 to 65535.")]
    [InlineData("acme-alpn-port", "https", "Validation ports must be from 1 to 65535.")]
    public async Task PolicyDialog_BadInput_RefusedWithTheCommandLineSentence_NothingStored(string field, string value, string sentence)
    {
        var id = await CreateAuthorityAsync();
        var page = Open(id);
        page.WaitForElement("[data-testid=acme-enable]").Click();
        Dialogs.WaitForElement("[data-testid=acme-policy-dialog]");
        Type(field, value);
        Dialogs.Find("[data-testid=acme-policy-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal(sentence, Dialogs.Find("[data-testid=acme-policy-refusal]").TextContent.Trim()));
        Assert.Equal(value, Dialogs.Find(Field(field)).GetAttribute("value"));
        Assert.False((await Directories.ShowAsync(id)).IsSuccess);
    }

    [Fact]
    public async Task PolicyDialog_EditWithABadSuffixOrNoChallenge_KeepsThePolicyAsItWas()
    {
        var id = await EnabledAsync(new AcmePolicyDraft { HttpPort = 8080 });
        var page = Open(id);
        page.WaitForElement("[data-testid=acme-edit]").Click();
        Dialogs.WaitForElement("[data-testid=acme-policy-dialog]");
        Assert.Equal("8080", Dialogs.Find(Field("acme-http-port")).GetAttribute("value"));
        Type("acme-allow-dns", "bad..suffix");
        Dialogs.Find("[data-testid=acme-policy-save]").Click();
        Dialogs.WaitForAssertion(() => Assert.NotEmpty(Dialogs.Find("[data-testid=acme-policy-refusal]").TextContent.Trim()));

        Type("acme-allow-dns", "");
        foreach (var type in AcmeChallengeTypes.All)
        {
            Dialogs.Find(Field($"acme-challenge-{type}")).Change(false);
        }

        Dialogs.Find("[data-testid=acme-policy-save]").Click();
        Dialogs.WaitForAssertion(() => Assert.StartsWith("Choose at least one challenge type", Dialogs.Find("[data-testid=acme-policy-refusal]").TextContent.Trim(),
            StringComparison.Ordinal));
        var shown = (await Directories.ShowAsync(id)).Value;
        Assert.Equal(8080, shown.Policy.HttpPort);
        Assert.True(shown.AllowedFromAuthority);
        Assert.Equal(AcmeChallengeTypes.Defaults.Order(), shown.Policy.Challenges.Order());
    }

    [Fact]
    public async Task PolicyDialog_OwnNamesAndHours_Saved_AndShownOnThePage()
    {
        var id = await EnabledAsync();
        var page = Open(id);
        page.WaitForElement("[data-testid=acme-edit]").Click();
        Dialogs.WaitForElement("[data-testid=acme-policy-dialog]");
        Type("acme-lifetime", "36");
        var unit = Dialogs.FindComponent<MudSelect<bool>>();
        await unit.InvokeAsync(() => unit.Instance.ValueChanged.InvokeAsync(true));
        Type("acme-allow-dns", "lab.home.arpa\nlan");
        Type("acme-allow-ip", "192.168.1.0/24");
        Dialogs.Find(Field("acme-require-eab")).Change(false);
        Dialogs.Find("[data-testid=acme-policy-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("lab.home.arpa, lan, 192.168.1.0/24", page.Find("[data-testid=acme-policy-names]").TextContent.Trim()));
        Assert.Contains("36 hours", page.Find("[data-testid=acme-policy]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Not required", page.Find("[data-testid=acme-policy-eab]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(AcmeClientGuide.KeyIdPlaceholder, page.Find("[data-testid=acme-client-certbot-text]").TextContent, StringComparison.Ordinal);
        var shown = (await Directories.ShowAsync(id)).Value;
        Assert.Equal(TimeSpan.FromHours(36), shown.Policy.Lifetime);
        Assert.False(shown.Policy.RequireEab);
    }

    [Fact]
    public async Task EabKey_ShownOnceWithAWarning_ThenListedWithoutItsHmacKey_AndRevoked()
    {
        var id = await EnabledAsync();
        var page = Open(id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=acme-eab-empty]")));
        page.Find("[data-testid=acme-eab-add]").Click();
        Dialogs.WaitForElement("[data-testid=acme-eab-label]");
        Type("acme-eab-label", "proxmox");
        Dialogs.Find("[data-testid=acme-eab-create]").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("will not be shown again", Dialogs.Find("[data-testid=acme-eab-warning]").TextContent, StringComparison.Ordinal));
        var keyId = Dialogs.Find(Field("acme-eab-kid")).GetAttribute("value")!;
        var hmac = Dialogs.Find(Field("acme-eab-hmac")).GetAttribute("value")!;
        Assert.Matches("^[0-9a-f]{24}$", keyId);
        Assert.Equal(43, hmac.Length);
        Assert.NotNull(Dialogs.Find("[data-testid=acme-eab-copy-hmac]"));
        Dialogs.Find("[data-testid=acme-eab-done]").Click();

        page.WaitForAssertion(() => Assert.Equal(keyId, page.Find("[data-testid=acme-eab-row-kid]").TextContent.Trim()));
        Assert.Equal("Not used", page.Find("[data-testid=acme-eab-row-account]").TextContent.Trim());
        Assert.DoesNotContain(hmac, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(hmac, Dialogs.Markup, StringComparison.Ordinal);

        page.Find("[data-testid=acme-eab-row-revoke]").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("No new account can be opened with it.", Dialogs.Find("[data-testid=acme-eab-revoke-consequences]").TextContent,
            StringComparison.Ordinal));
        Dialogs.Find("[data-testid=acme-eab-revoke-confirm]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=acme-eab-row-revoked]")));
        Assert.NotNull(Assert.Single((await Directories.EabKeysAsync(id)).Value).RevokedAt);
    }

    [Fact]
    public async Task EabKey_LabelTooLong_RefusedInTheDialog_NoKeyMade()
    {
        var id = await EnabledAsync();
        var page = Open(id);
        page.WaitForElement("[data-testid=acme-eab-add]").Click();
        Dialogs.WaitForElement("[data-testid=acme-eab-label]");
        Type("acme-eab-label", new string('x', 101));
        Dialogs.Find("[data-testid=acme-eab-create]").Click();

        Dialogs.WaitForAssertion(() => Assert.StartsWith("The label is at most 100 characters", Dialogs.Find("[data-testid=acme-eab-refusal]").TextContent.Trim(),
            StringComparison.Ordinal));
        Assert.Empty(Dialogs.FindAll("[data-testid=acme-eab-hmac]"));
        Assert.Empty((await Directories.EabKeysAsync(id)).Value);
    }

    [Fact]
    public async Task Directory_WithAccountFailedOrderAndRevocation_ShowsEachReason_AndDeactivates()
    {
        var id = await EnabledAsync();
        var certificate = await SeedAsync("nas.home.arpa");
        var accountId = await SeedHistoryAsync(id, certificate.CertificateId);
        var page = Open(id);

        page.WaitForAssertion(() => Assert.Equal("nas@home.arpa", page.Find("[data-testid=acme-account-row-contact]").TextContent.Trim()));
        Assert.Equal("valid", page.Find("[data-testid=acme-account-row-status]").TextContent.Trim());
        var failures = page.Find("[data-testid=acme-order-row-failures]").TextContent;
        Assert.Contains("nas.home.arpa (http-01): The client at 127.0.0.1:80 answered 404 for the token.", failures, StringComparison.Ordinal);
        Assert.Contains("*.lan", page.Find("[data-testid=acme-order-row-identifiers]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/?certificate={certificate.CertificateId}", page.Find("[data-testid=acme-order-table] a[href^='/?certificate']").GetAttribute("href"));
        Assert.Contains("keyCompromise", page.Find("[data-testid=acme-revocation-table]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=acme-account-row-deactivate]").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("can no longer order or renew", Dialogs.Find("[data-testid=acme-deactivate-consequences]").TextContent,
            StringComparison.Ordinal));
        Dialogs.Find("[data-testid=acme-deactivate-confirm]").Click();
        page.WaitForAssertion(() => Assert.Equal("deactivated", page.Find("[data-testid=acme-account-row-status]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=acme-account-row-deactivate]"));
        Assert.Equal(AcmeStatus.Deactivated, Assert.Single((await Directories.AccountsAsync(id)).Value, a => a.Id == accountId).Status);
    }

    [Fact]
    public async Task Disable_ConfirmSaysWhatClientsSee_ThenOff_AndTheUrlIsKept()
    {
        var id = await EnabledAsync();
        var page = Open(id);
        page.WaitForElement("[data-testid=acme-disable]").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("Clients get 404 Not Found from http://localhost/acme/", Dialogs.Find("[data-testid=acme-disable-consequences]").TextContent,
            StringComparison.Ordinal));
        Dialogs.Find("[data-testid=acme-disable-cancel]").Click();
        Assert.True((await Directories.ShowAsync(id)).Value.Enabled);

        page.Find("[data-testid=acme-disable]").Click();
        Dialogs.WaitForElement("[data-testid=acme-disable-confirm]").Click();

        page.WaitForAssertion(() => Assert.Equal("Off", page.Find("[data-testid=acme-state]").TextContent.Trim()));
        Assert.NotNull(page.Find("[data-testid=acme-off-note]"));
        Assert.False((await Directories.ShowAsync(id)).Value.Enabled);
    }

    [Fact]
    public async Task Picker_TwoCas_DeepLinkChoosesTheSecond()
    {
        await EnabledAsync();
        var second = await CreateAuthorityAsync("Second CA");
        var page = Open(second);

        page.WaitForAssertion(() => Assert.Contains("\"Second CA\" has no ACME directory yet", page.Find("[data-testid=acme-no-directory]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientCommands_EabRequired_NameTheUrlPlaceholdersAndTheRoot()
    {
        var id = await EnabledAsync();
        var page = Open(id);

        page.WaitForElement("[data-testid=acme-clients]");
        foreach (var client in new[] { "certbot", "acme.sh", "lego", "uacme", "caddy", "traefik", "proxmox", "opnsense" })
        {
            var text = page.Find($"[data-testid='acme-client-{client}-text']").TextContent;
            Assert.Contains($"http://localhost/acme/{id}/directory", text, StringComparison.Ordinal);
            Assert.Contains(AcmeClientGuide.KeyIdPlaceholder, text + page.Find($"[data-testid='acme-client-{client}']").TextContent, StringComparison.Ordinal);
        }

        Assert.Equal($"http://localhost/trust/ca/{id}.crt", page.Find("[data-testid=acme-root-link]").GetAttribute("href"));
        Assert.Contains("--domains nas.home.arpa", page.Find("[data-testid=acme-client-lego-text]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificatesPage_AcmeCertificate_ShowsItsAccountInTheListAndTheDetails()
    {
        var id = await EnabledAsync();
        var certificate = await SeedAsync("nas.home.arpa");
        await SeedHistoryAsync(id, certificate.CertificateId);

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"/?certificate={certificate.CertificateId}");
        var page = Render<CertificatesPage>();

        page.WaitForAssertion(() => Assert.Equal("ACME: nas@home.arpa", Assert.Single(page.FindAll("[data-testid=acme-marker]")).TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Contains("Account nas@home.arpa", page.Find("[data-testid=details-acme]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Lab Root CA", page.Find("[data-testid=details-acme-link]").TextContent.Trim());
        Assert.Equal($"/acme?ca={id}", page.Find("[data-testid=details-acme-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task ServicesPage_ListsEachDirectorysCa_ReadOnly_WithALinkToItsPage()
    {
        var id = await EnabledAsync();

        var page = Render<ServicesPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-testid=service-acme-row-{id}]")));
        Assert.Contains("The CA \"Lab Root CA\"", page.Find("[data-testid=service-acme-table]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/acme?ca={id}", page.Find("[data-testid=service-acme-link]").GetAttribute("href"));
        Assert.Empty(page.Find("[data-testid=service-acme-table]").QuerySelectorAll("button, input"));
    }

    /// <summary>An account, a failed order with a failed challenge, a valid order with a certificate, and a revocation, as the server stores them.</summary>
    private async Task<int> SeedHistoryAsync(int authorityId, int certificateId)
    {
        await using var db = Storage.CreateContext();
        var directory = db.AcmeDirectories.Single(d => d.AuthorityId == authorityId);
        var now = DateTimeOffset.UtcNow;
        var account = new AcmeAccountRecord
        {
            DirectoryId = directory.Id,
            Thumbprint = "thumb",
            Jwk = "{}",
            Contact = "mailto:nas@home.arpa",
            Status = AcmeStatus.Valid,
            CreatedAt = now,
            CreatedFrom = "127.0.0.1",
        };
        db.AcmeAccounts.Add(account);
        await db.SaveChangesAsync();
        var failed = new AcmeOrderRecord
        {
            AccountId = account.Id,
            DirectoryId = directory.Id,
            Status = AcmeStatus.Invalid,
            Identifiers = "dns:nas.home.arpa\ndns:*.lan",
            CreatedAt = now,
            ExpiresAt = now.AddDays(7),
            Authorizations =
            [
                new AcmeAuthorizationRecord
                {
                    Type = "dns", Value = "nas.home.arpa", Status = AcmeStatus.Invalid, ExpiresAt = now.AddDays(7),
                    Challenges =
                    [
                        new AcmeChallengeRecord
                        {
                            Type = "http-01", Token = "token", Status = AcmeStatus.Invalid,
                            Error = """{"type":"urn:ietf:params:acme:error:unauthorized","detail":"The client at 127.0.0.1:80 answered 404 for the token.","status":403}""",
                        },
                    ],
                },
            ],
        };
        var valid = new AcmeOrderRecord
        {
            AccountId = account.Id,
            DirectoryId = directory.Id,
            Status = AcmeStatus.Valid,
            Identifiers = "dns:nas.home.arpa",
            CreatedAt = now.AddMinutes(-5),
            ExpiresAt = now.AddDays(7),
            CertificateId = certificateId,
        };
        db.AcmeOrders.AddRange(failed, valid);
        db.Revocations.Add(new RevocationRecord { AuthorityId = authorityId, SerialNumber = "0a1b2c", RevokedAt = now, Reason = 1, Actor = "account 1" });
        await db.SaveChangesAsync();
        return account.Id;
    }
}
