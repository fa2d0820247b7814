using System.CommandLine;
using SynoCertPanel.Core.Backup;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Cli;

/// <summary>`backup` and `restore`: the whole data directory as one passphrase-encrypted file, and back.</summary>
internal static class BackupCommands
{
    /// <summary>A passphrase file holds one line; anything bigger is the wrong file.</summary>
    private const int MaxPasswordFileBytes = 4096;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static Command Backup(CliContext cli)
    {
        var command = new Command("backup", "Write the whole data directory (database and key-encryption key) to one encrypted file.");
        var output = new Option<FileInfo>("--out") { Description = "The backup file to write (mode 0600).", Required = true };
        var passwordFile = PasswordFileOption();
        command.Add(output);
        command.Add(passwordFile);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var passphrase = await ReadPassphraseAsync(parse.GetValue(passwordFile)!, cancellationToken).ConfigureAwait(false);
            if (!passphrase.IsSuccess)
            {
                return await cli.FailAsync(passphrase.Error!).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var created = await new BackupService(storage, cli.Time).CreateAsync(passphrase.Value, cli.Actor, cancellationToken).ConfigureAwait(false);
            var path = parse.GetValue(output)!.FullName;
            if (created.IsSuccess)
            {
                AtomicFile.Write(path, created.Value.Content, OwnerOnly);
            }

            return await cli.ReportAsync(created, b => $"Wrote backup {path} ({b.Content.Length} bytes, made {b.Manifest.CreatedAt:u})",
                b => new { file = path, bytes = b.Content.Length, createdAt = b.Manifest.CreatedAt }).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Restore(CliContext cli)
    {
        var command = new Command("restore", "Restore a backup into an empty or missing data directory (--data).");
        var file = new Argument<FileInfo>("FILE") { Description = "The backup file." };
        var passwordFile = PasswordFileOption();
        command.Add(file);
        command.Add(passwordFile);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var passphrase = await ReadPassphraseAsync(parse.GetValue(passwordFile)!, cancellationToken).ConfigureAwait(false);
            if (!passphrase.IsSuccess)
            {
                return await cli.FailAsync(passphrase.Error!).ConfigureAwait(false);
            }

            // Not cli.OpenAsync: opening would create a database in the target, which must stay empty until restored.
            var target = new DataDirectory(cli.DataDirectory(parse));
            var restored = await new RestoreService(cli.Time).RestoreFileAsync(parse.GetValue(file)!.FullName, passphrase.Value, target, cli.Actor,
                cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(restored, m => $"Restored the backup made {m.CreatedAt:u} (panel {m.PanelVersion}) into {target.Path}",
                m => new { createdAt = m.CreatedAt, panelVersion = m.PanelVersion, data = target.Path }).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<FileInfo> PasswordFileOption() => new("--password-file")
    {
        Description = "A file whose first line is the backup passphrase (at least 12 characters).",
        Required = true,
    };

    private static async Task<Result<string>> ReadPassphraseAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            return Result.Failure<string>($"The password file {file.FullName} does not exist.");
        }

        if (file.Length > MaxPasswordFileBytes)
        {
            return Result.Failure<string>($"The password file {file.FullName} is {file.Length} bytes; it should hold one line.");
        }

        var text = await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        // Editors and `echo` add a final newline; it is not part of the passphrase.
        var line = text.Split('\n', 2)[0].TrimEnd('\r');
        return Result.Success(line);
    }
}
