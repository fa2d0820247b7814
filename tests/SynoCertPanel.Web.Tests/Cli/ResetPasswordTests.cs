using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;

namespace SynoCertPanel.Web.Tests.Cli;

public sealed class ResetPasswordTests : IDisposable
{
    private const string OldPassword = "the old password 1";
    private const string NewPassword = "a brand new passphrase";

    private readonly string _root = Directory.CreateTempSubdirectory("synocert-admin-").FullName;

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task CreateLockedOutAdminAsync()
    {
        var data = new DataDirectory(Data);
        data.EnsureExists();
        await using var services = AccountServices.Build(data, TimeProvider.System);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().MigrateAsync(data);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var admin = new IdentityUser("admin");
        Assert.True((await users.CreateAsync(admin, OldPassword)).Succeeded);
        for (var i = 0; i < LockoutRules.MaxFailedAttempts; i++)
        {
            await users.AccessFailedAsync(admin);
        }

        Assert.True(await users.IsLockedOutAsync(admin));
    }

    private string PasswordFile(string password)
    {
        var file = Path.Combine(_root, "password.txt");
        File.WriteAllText(file, password + "\n");
        return file;
    }

    private async Task<(bool Old, bool New, bool LockedOut)> ReadAdminAsync()
    {
        await using var services = AccountServices.Build(new DataDirectory(Data), TimeProvider.System);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var admin = await users.FindByNameAsync("admin");
        Assert.NotNull(admin);
        return (await users.CheckPasswordAsync(admin, OldPassword), await users.CheckPasswordAsync(admin, NewPassword), await users.IsLockedOutAsync(admin));
    }

    [Fact]
    public async Task ResetPassword_KnownUser_NewPasswordWorksAndLockoutIsLifted()
    {
        await CreateLockedOutAdminAsync();

        var result = await CliRun.RunAsync("admin", "reset-password", "--user", "admin", "--password-file", PasswordFile(NewPassword), "--data", Data);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal((false, true, false), await ReadAdminAsync());
    }

    [Fact]
    public async Task ResetPassword_KnownUser_IsAudited()
    {
        await CreateLockedOutAdminAsync();

        await CliRun.RunAsync("admin", "reset-password", "--user", "admin", "--password-file", PasswordFile(NewPassword), "--data", Data);

        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        var audited = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.ResetPassword);
        Assert.Equal(AuditOutcome.Succeeded, audited.Outcome);
        Assert.Equal("admin", audited.Target);
    }

    [Fact]
    public async Task ResetPassword_UnknownUser_ExitsOneWithMessage()
    {
        await CreateLockedOutAdminAsync();

        var result = await CliRun.RunAsync("admin", "reset-password", "--user", "root", "--password-file", PasswordFile(NewPassword), "--data", Data);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("There is no account named root", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_TooShort_RefusedAndOldPasswordKept()
    {
        await CreateLockedOutAdminAsync();

        var result = await CliRun.RunAsync("admin", "reset-password", "--user", "admin", "--password-file", PasswordFile("short"), "--data", Data);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at least 12 characters", result.Error, StringComparison.Ordinal);
        Assert.Equal((true, false, true), await ReadAdminAsync());
    }
}
