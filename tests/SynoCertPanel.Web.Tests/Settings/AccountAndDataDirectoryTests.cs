using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Components.Settings;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Listener;

namespace SynoCertPanel.Web.Tests.Settings;

public sealed class AccountAndDataDirectoryTests : SettingsComponentTest
{
    [Fact]
    public void Account_ShowsNameAndTwoFactorOff()
    {
        var account = Render<AccountSettings>();

        account.WaitForAssertion(() => Assert.Equal(UserName, Text(account, "account-name")));
        Assert.StartsWith("Off", Text(account, "two-factor-status"), StringComparison.Ordinal);
        Assert.Contains("Set up two-factor sign-in", Text(account, "two-factor-setup"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_TwoFactorOn_OffersToTurnItOff()
    {
        await using (var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(Account.Id))!, true)).Succeeded);
        }

        var account = Render<AccountSettings>();

        account.WaitForAssertion(() => Assert.StartsWith("On", Text(account, "two-factor-status"), StringComparison.Ordinal));
        Assert.Contains("Turn off two-factor sign-in", Text(account, "two-factor-setup"), StringComparison.Ordinal);
    }

    [Fact]
    public void Account_ChangePassword_LoadsTheServerPasswordPage()
    {
        var account = Render<AccountSettings>();
        var navigation = Services.GetRequiredService<NavigationManager>();

        account.WaitForAssertion(() => account.Find("[data-testid=change-password]").Click());

        Assert.Equal("http://localhost/account/password", navigation.Uri);
    }

    [Fact]
    public async Task DataDirectory_Healthy_ShowsPathModeCheckAndLastBackup()
    {
        await new Core.Backup.BackupService(Storage, Time).CreateAsync("a long backup passphrase", UserName);

        var health = Render<DataDirectoryHealth>();

        health.WaitForAssertion(() => Assert.Equal(Storage.Data.Path, Text(health, "data-path")));
        Assert.Equal("present, mode 0600", Text(health, "key-file"));
        Assert.Equal("ok (SQLite quick check)", Text(health, "quick-check"));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", Text(health, "last-backup"));
        Assert.Matches(@"^[\d.]+ (KiB|MiB)$", Text(health, "database-size"));
        Assert.Matches(@"^[\d.]+ (bytes|KiB|MiB|GiB)$", Text(health, "free-space"));
        Assert.Null(FindOrNull(health, "key-file-warning"));
    }

    [Fact]
    public void DataDirectory_KeyFileReadableByOthers_Warns()
    {
        File.SetUnixFileMode(Storage.Data.KeyEncryptionKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var health = Render<DataDirectoryHealth>();

        health.WaitForAssertion(() => Assert.Equal("present, mode 0644", Text(health, "key-file")));
        Assert.Contains("chmod 600", Text(health, "key-file-warning"), StringComparison.Ordinal);
        Assert.Equal("none recorded", Text(health, "last-backup"));
    }

    [Fact]
    public async Task SettingsPage_ShowsListenerAccountBackupRestoreAndDataDirectorySections()
    {
        var panelDirectory = Directory.CreateTempSubdirectory("synocert-settings-panel-").FullName;
        var panel = await RunningPanel.StartAsync(panelDirectory);
        try
        {
            Rebinder = panel.App.Services.GetRequiredService<ListenerRebinder>();

            var page = Render<SynoCertPanel.Web.Components.Pages.SettingsPage>();

            Assert.Contains($":{panel.Endpoint.Port}", page.Markup, StringComparison.Ordinal);
            page.WaitForAssertion(() => Assert.Equal(UserName, Text(page, "account-name")));
            Assert.NotNull(FindOrNull(page, "backup-settings"));
            Assert.NotNull(FindOrNull(page, "restore-settings"));
            page.WaitForAssertion(() => Assert.Equal("ok (SQLite quick check)", Text(page, "quick-check")));
            Assert.DoesNotContain("arrive here", page.Markup, StringComparison.Ordinal);
        }
        finally
        {
            await panel.DisposeAsync();
            Directory.Delete(panelDirectory, recursive: true);
        }
    }
}
