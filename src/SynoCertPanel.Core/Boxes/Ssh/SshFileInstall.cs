using System.Security.Cryptography;
using System.Text;
using Renci.SshNet.Common;
using Renci.SshNet.Sftp;

namespace SynoCertPanel.Core.Boxes.Ssh;

/// <summary>
/// Puts files on a box so that a reader sees the old file or the new one, never a mix: every file is first written in
/// full to a temporary name in its own folder, the current file is copied to <c>PATH.previous</c>, and only then are the
/// temporary files renamed over their targets with posix-rename@openssh.com (rename(2), atomic). A failure before the
/// renames deletes what was written and leaves the box as it was.
/// </summary>
internal sealed class SshFileInstall(SshSession session, SshSettings settings, List<string> steps)
{
    private readonly string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
    private readonly List<string> written = [];
    private string? current;

    /// <summary>Null when every file is in place, else the failure (the box's files unchanged).</summary>
    public async Task<DeliveryOutcome?> InstallAsync(IReadOnlyList<SshFile> files, CancellationToken cancellationToken)
    {
        var renamed = new List<SshFile>();
        try
        {
            var temporary = new Dictionary<SshFile, string>();
            foreach (var file in files)
            {
                current = file.Path;
                var path = TemporaryName(file, "new");
                await WriteAsync(path, Encoding.UTF8.GetBytes(file.Content), file.Mode, cancellationToken).ConfigureAwait(false);
                temporary[file] = path;
            }

            steps.Add($"Uploaded {string.Join(", ", files.Select(f => f.Path))} under temporary names.");
            if (await GiveToOwnerAsync([.. temporary.Values], cancellationToken).ConfigureAwait(false) is { } ownerFailure)
            {
                return Abandon(ownerFailure);
            }

            await FlushAsync([.. temporary.Values], cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                current = file.PreviousPath;
                await KeepPreviousAsync(file, cancellationToken).ConfigureAwait(false);
            }

            foreach (var file in files)
            {
                current = file.Path;
                session.Files.RenameFile(temporary[file], file.Path, isPosix: true);
                written.Remove(temporary[file]);
                renamed.Add(file);
            }

            steps.Add($"Replaced {string.Join(", ", files.Select(f => f.Path))} (what they replaced is kept as PATH.previous).");
            return null;
        }
        catch (SshException e)
        {
            if (e is not SshConnectionException)
            {
                PutBack(renamed);
            }

            return Abandon(Failure(e, "The old files are unchanged."));
        }
    }

    /// <summary>Moves every <c>PATH.previous</c> back over its file; null when at least one was restored, else the failure.</summary>
    public DeliveryOutcome? Restore(IEnumerable<string> paths)
    {
        var restored = new List<string>();
        var missing = new List<string>();
        try
        {
            foreach (var path in paths)
            {
                current = path;
                if (session.Files.Exists(path + ".previous"))
                {
                    session.Files.RenameFile(path + ".previous", path, isPosix: true);
                    restored.Add(path);
                }
                else
                {
                    missing.Add(path);
                }
            }
        }
        catch (SshException e)
        {
            return Failure(e, restored.Count > 0 ? $"Already put back: {string.Join(", ", restored)}." : "Nothing was put back.");
        }

        if (restored.Count > 0)
        {
            steps.Add($"Put back the previous {string.Join(", ", restored)}.");
        }

        if (missing.Count > 0)
        {
            steps.Add($"No previous file kept for {string.Join(", ", missing)}.");
        }

        return restored.Count > 0 ? null : DeliveryOutcome.Failed(DeliveryFailure.Write,
            "No previous files are kept on the box (the last delivery was the first one, or they were already put back); deliver a valid certificate instead.");
    }

    /// <summary>Null when every folder exists and the login account may create files in it (checked with test -w, nothing written).</summary>
    public async Task<DeliveryOutcome?> CheckWritableAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        foreach (var folder in paths.Select(p => p[..Math.Max(1, p.LastIndexOf('/'))]).Distinct(StringComparer.Ordinal))
        {
            var quoted = SshSession.Quote(folder);
            var check = await session.RunAsync($"if [ ! -d {quoted} ]; then echo missing; elif [ ! -w {quoted} ]; then echo denied; else echo ok; fi",
                settings.CommandTimeout, cancellationToken).ConfigureAwait(false);
            switch (check?.Output.Trim())
            {
                case "ok":
                    steps.Add($"{folder} is writable.");
                    break;
                case "missing":
                    return DeliveryOutcome.Failed(DeliveryFailure.Write, $"The folder {folder} does not exist on the box; create it or correct the path.");
                case "denied":
                    return DeliveryOutcome.Failed(DeliveryFailure.Permission,
                        $"{settings.User} may not write in {folder}; give the account write access to that folder or choose another path.");
                default:
                    return DeliveryOutcome.Failed(DeliveryFailure.Protocol,
                        $"The box did not run a shell command for {settings.User} ({check?.Excerpt() ?? "no answer in time"}); the account needs a shell for the reload command.");
            }
        }

        return null;
    }

    private string TemporaryName(SshFile file, string purpose) => $"{file.Directory.TrimEnd('/')}/.{file.Name}.{token}.{purpose}.tmp";

    private async Task WriteAsync(string path, byte[] content, short mode, CancellationToken cancellationToken)
    {
        // Created empty, restricted, then filled: a key is never readable by others, even for a moment.
        using var stream = await session.Files.OpenAsync(path, FileMode.CreateNew, FileAccess.Write, cancellationToken).ConfigureAwait(false);
        written.Add(path);
        session.Files.ChangePermissions(path, mode);
        await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeliveryOutcome?> GiveToOwnerAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (settings.Owner is null)
        {
            return null;
        }

        var result = await session.RunAsync($"chown -- {SshSession.Quote(settings.Owner)} {string.Join(' ', paths.Select(SshSession.Quote))}",
            settings.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (result is { ExitCode: 0 })
        {
            steps.Add($"Gave the files to {settings.Owner}.");
            return null;
        }

        return DeliveryOutcome.Failed(DeliveryFailure.Permission,
            $"Could not give the files to {settings.Owner} ({result?.Excerpt() ?? "chown did not finish in time"}); only root may change a file's owner, so log in as root or leave the owner empty.");
    }

    /// <summary>
    /// Forces the new files to disk before they replace the old ones, so a power cut cannot leave an empty key file.
    /// SSH.NET 2026.0.1 does not send fsync@openssh.com, so coreutils' <c>sync FILE…</c> (fsync per file, coreutils ≥ 8.24)
    /// runs in the shell; a box without it still gets the atomic rename.
    /// </summary>
    private async Task FlushAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var result = await session.RunAsync($"sync -- {string.Join(' ', paths.Select(SshSession.Quote))}", settings.CommandTimeout, cancellationToken)
            .ConfigureAwait(false);
        steps.Add(result is { ExitCode: 0 }
            ? "Flushed the new files to disk."
            : $"Could not flush the new files to disk ({result?.Excerpt() ?? "sync did not finish in time"}); they still replace the old ones atomically.");
    }

    /// <summary>Copies the current file to PATH.previous (mode, owner and time kept); a stale .previous goes when there is no current file.</summary>
    private async Task KeepPreviousAsync(SshFile file, CancellationToken cancellationToken)
    {
        SftpFileAttributes current;
        try
        {
            current = session.Files.GetAttributes(file.Path);
        }
        catch (SftpPathNotFoundException)
        {
            if (session.Files.Exists(file.PreviousPath))
            {
                session.Files.DeleteFile(file.PreviousPath);
            }

            steps.Add($"{file.Path} is new on the box: nothing to keep.");
            return;
        }

        var copy = TemporaryName(file, "previous");
        await WriteAsync(copy, session.Files.ReadAllBytes(file.Path), 600, cancellationToken).ConfigureAwait(false);
        try
        {
            session.Files.SetAttributes(copy, current);
        }
        catch (SftpPermissionDeniedException)
        {
            steps.Add($"The copy of {file.Path} keeps its mode but not its owner (only root may give a file away).");
        }

        session.Files.RenameFile(copy, file.PreviousPath, isPosix: true);
        written.Remove(copy);
    }

    private void PutBack(List<SshFile> renamed)
    {
        foreach (var file in renamed)
        {
            if (session.Files.Exists(file.PreviousPath))
            {
                session.Files.RenameFile(file.PreviousPath, file.Path, isPosix: true);
                steps.Add($"Put back the previous {file.Path}.");
            }
            else
            {
                session.Files.DeleteFile(file.Path);
                steps.Add($"Removed {file.Path}, which the box did not have before.");
            }
        }
    }

    private DeliveryOutcome Abandon(DeliveryOutcome failure)
    {
        foreach (var path in written.ToList())
        {
            try
            {
                session.Files.DeleteFile(path);
                written.Remove(path);
            }
            catch (SshException)
            {
                steps.Add($"Could not delete the temporary file {path}.");
            }
        }

        steps.Add("The box's files are unchanged.");
        return failure;
    }

    private DeliveryOutcome Failure(SshException e, string state) => e switch
    {
        SftpPermissionDeniedException => DeliveryOutcome.Failed(DeliveryFailure.Permission,
            $"{settings.User} may not write {current} ({e.Message}); give the account write access to that folder or choose another path. {state}"),
        SftpPathNotFoundException => DeliveryOutcome.Failed(DeliveryFailure.Write,
            $"The folder of {current} does not exist on the box ({e.Message}); create it or correct the path. {state}"),
        SftpException => DeliveryOutcome.Failed(DeliveryFailure.Write,
            $"Writing {current} failed on the box ({e.Message}); check its free disk space. {state}"),
        SshConnectionException => DeliveryOutcome.Failed(DeliveryFailure.Connect,
            $"The connection to the box dropped while changing files ({e.Message}); probe the box and deliver again."),
        SshOperationTimeoutException => DeliveryOutcome.Failed(DeliveryFailure.Timeout,
            $"The box did not answer in time while changing {current} ({e.Message}). {state}"),
        _ => DeliveryOutcome.Failed(DeliveryFailure.Protocol,
            $"The SSH exchange failed while changing {current} ({e.Message}). {state}"),
    };
}
