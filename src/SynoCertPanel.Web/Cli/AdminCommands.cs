using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;

namespace SynoCertPanel.Web.Cli;

/// <summary>`admin reset-password`: the way back in for an admin who lost the password (or locked the account).</summary>
internal static class AdminCommands
{
    public static Command Create(CliContext cli)
    {
        var admin = new Command("admin", "Panel accounts.");
        var reset = new Command("reset-password", "Set a new password for an account and lift its lockout; other sessions are signed out.");
        var user = new Option<string>("--user") { Description = "The account's user name.", Required = true };
        var passwordFile = new Option<FileInfo>("--password-file") { Description = "A file whose first line is the new password (at least 12 characters).", Required = true };
        reset.Add(user);
        reset.Add(passwordFile);
        reset.SetAction(async (parse, cancellationToken) =>
        {
            var password = await CliFiles.ReadPasswordAsync(parse.GetValue(passwordFile), cancellationToken).ConfigureAwait(false);
            if (!password.IsSuccess)
            {
                return await cli.FailAsync(password.Error!).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var name = parse.GetValue(user)!;
            var changed = await ResetAsync(storage.Data, name, password.Value!, cli.Time, cancellationToken).ConfigureAwait(false);
            await AuditAsync(storage, cli, name, changed, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(changed, id => $"The password of {name} is reset and its lockout lifted; other sessions are signed out",
                id => new { id, user = name }).ConfigureAwait(false);
        });
        admin.Add(reset);
        return admin;
    }

    private static async Task<Result<string>> ResetAsync(DataDirectory data, string name, string password, TimeProvider time, CancellationToken cancellationToken)
    {
        var services = AccountServices.Build(data, time);
        await using (services.ConfigureAwait(false))
        {
            var scope = services.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().MigrateAsync(data, cancellationToken).ConfigureAwait(false);
                var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
                var account = await users.FindByNameAsync(name).ConfigureAwait(false);
                if (account is null)
                {
                    return Result.Failure<string>($"There is no account named {Pki.Display.Literal(name, 100)}.");
                }

                // Check the policy before removing the old password, so a refused password leaves the account as it was.
                foreach (var validator in users.PasswordValidators)
                {
                    var valid = await validator.ValidateAsync(users, account, password).ConfigureAwait(false);
                    if (!valid.Succeeded)
                    {
                        return Result.Failure<string>(string.Join(" ", valid.Errors.Select(e => e.Description)));
                    }
                }

                account.PasswordHash = users.PasswordHasher.HashPassword(account, password);
                await users.SetLockoutEndDateAsync(account, null).ConfigureAwait(false);
                await users.ResetAccessFailedCountAsync(account).ConfigureAwait(false);
                // A new security stamp signs out every browser that knew the old password.
                var saved = await users.UpdateSecurityStampAsync(account).ConfigureAwait(false);
                return saved.Succeeded
                    ? Result.Success(account.Id)
                    : Result.Failure<string>(string.Join(" ", saved.Errors.Select(e => e.Description)));
            }
        }
    }

    private static async Task AuditAsync(PanelStorage storage, CliContext cli, string name, Result<string> changed, CancellationToken cancellationToken)
    {
        var db = storage.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            AuditLog.Add(db, cli.Time.GetUtcNow(), cli.Actor, AuditActions.ResetPassword, name, changed.IsSuccess ? AuditOutcome.Succeeded : AuditOutcome.Refused,
                changed.Error ?? string.Empty);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
