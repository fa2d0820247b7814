using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace SynoCertPanel.Core.Boxes.Ssh;

/// <summary>What a command run on the box returned.</summary>
internal sealed record SshCommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>The first lines of standard error (or output when error is empty), short enough for one history entry.</summary>
    public string Excerpt(int lines = 5)
    {
        var text = (Error.Trim().Length > 0 ? Error : Output).Trim();
        var kept = string.Join(" / ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(lines));
        return kept.Length > 600 ? kept[..600] + "…" : kept;
    }
}

/// <summary>
/// One logged-in connection to a box: a shell channel for commands and an SFTP channel for files, both checked against
/// the pinned host key. Opening classifies every expected failure (DNS, refused, timeout, host key, login) into a
/// <see cref="DeliveryOutcome"/>.
/// </summary>
internal sealed class SshSession : IDisposable
{
    private readonly SshClient shell;
    private readonly SftpClient files;

    private SshSession(SshClient shell, SftpClient files, string hostKey)
    {
        this.shell = shell;
        this.files = files;
        HostKey = hostKey;
    }

    /// <summary>The box's host key as <c>ssh-keygen -l -E sha256</c> prints it.</summary>
    public string HostKey { get; }

    public SftpClient Files => files;

    public static async Task<(SshSession? Session, DeliveryOutcome? Failure)> OpenAsync(SshSettings settings, List<string> steps, CancellationToken cancellationToken)
    {
        PrivateKeyFile key;
        try
        {
            using var keyText = new MemoryStream(Encoding.UTF8.GetBytes(settings.PrivateKey));
            key = new PrivateKeyFile(keyText);
        }
        catch (Exception e) when (e is SshException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return (null, DeliveryOutcome.Failed(DeliveryFailure.Settings,
                "The login key could not be read; generate a new key for this box and put its public line into authorized_keys.", steps));
        }

        string? seen = null;
        var mismatch = false;
        void CheckHostKey(object? sender, HostKeyEventArgs e)
        {
            seen = "SHA256:" + e.FingerPrintSHA256;
            mismatch = settings.PinnedHostKey is not null && !string.Equals(seen, settings.PinnedHostKey, StringComparison.Ordinal);
            e.CanTrust = !mismatch;
        }

        var connection = new ConnectionInfo(settings.Host, settings.Port, settings.User, new PrivateKeyAuthenticationMethod(settings.User, key))
        {
            Timeout = settings.ConnectTimeout,
        };
        SshClient? shell = new(connection);
        SftpClient? sftp = new(connection) { OperationTimeout = settings.CommandTimeout };
        shell.HostKeyReceived += CheckHostKey;
        sftp.HostKeyReceived += CheckHostKey;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.ConnectTimeout);
        try
        {
            await shell.ConnectAsync(deadline.Token).ConfigureAwait(false);
            await sftp.ConnectAsync(deadline.Token).ConfigureAwait(false);
            steps.Add($"Logged in as {settings.Endpoint} (host key {seen}).");
            var session = new SshSession(shell, sftp, seen!);
            (shell, sftp) = (null, null);
            return (session, null);
        }
        catch (Exception e) when (Classify(e, settings, seen, mismatch, cancellationToken) is { } failure)
        {
            steps.Add(failure.Message);
            return (null, failure);
        }
        finally
        {
            // Only a session that did not open is disposed here; an open one belongs to the caller.
            shell?.Dispose();
            sftp?.Dispose();
        }
    }

    private static DeliveryOutcome? Classify(Exception e, SshSettings settings, string? seen, bool mismatch, CancellationToken cancellationToken)
    {
        var where = $"{settings.Host}:{settings.Port}";
        if (mismatch)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.HostKey,
                $"The host key of {where} changed: it was {settings.PinnedHostKey}, now it is {seen}. Nothing was sent. If the box was reinstalled, check the new key on its console (ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub) and clear the pinned key; otherwise something else answers at this address.");
        }

        return e switch
        {
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } =>
                DeliveryOutcome.Failed(DeliveryFailure.Dns, $"The name {settings.Host} does not resolve; check the box's address."),
            SocketException { SocketErrorCode: SocketError.TimedOut } or SshOperationTimeoutException =>
                DeliveryOutcome.Failed(DeliveryFailure.Timeout, $"{where} did not answer within {settings.ConnectTimeout.TotalSeconds:0} s; check that the box is up and the port is right."),
            OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                DeliveryOutcome.Failed(DeliveryFailure.Timeout, $"{where} did not answer within {settings.ConnectTimeout.TotalSeconds:0} s; check that the box is up and the port is right."),
            SocketException socket =>
                DeliveryOutcome.Failed(DeliveryFailure.Connect, $"Nothing accepts SSH connections at {where} ({Describe(socket.SocketErrorCode)}); check that sshd runs and the port is right."),
            SshAuthenticationException =>
                DeliveryOutcome.Failed(DeliveryFailure.Login, $"{where} refused the login key for {settings.User}; put the box's public key line into ~{settings.User}/.ssh/authorized_keys."),
            SshConnectionException connection =>
                DeliveryOutcome.Failed(DeliveryFailure.Protocol, $"{where} closed the SSH connection ({connection.DisconnectReason}): {connection.Message}"),
            SshException ssh =>
                DeliveryOutcome.Failed(DeliveryFailure.Protocol, $"The SSH exchange with {where} failed: {ssh.Message}"),
            _ => null,
        };
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        _ => error.ToString(),
    };

    /// <summary>Runs <paramref name="command"/> through the login account's shell, stopping it after <paramref name="timeout"/>.</summary>
    public async Task<SshCommandResult?> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var run = shell.CreateCommand(command);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await run.ExecuteAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return new SshCommandResult(run.ExitStatus ?? -1, run.Result, run.Error);
    }

    /// <summary>A word for the shell: single quotes, each inner quote closed, escaped and reopened.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose()
    {
        files.Dispose();
        shell.Dispose();
    }
}
