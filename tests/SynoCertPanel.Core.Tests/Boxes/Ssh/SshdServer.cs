using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>
/// Debian's OpenSSH server on 127.0.0.1 and a random port, run by the test as the current user (root here; an ordinary
/// account works too, logging in as itself): its own host key, one authorized login key made by <see cref="SshKeys"/>,
/// no PAM, no passwords. Also used by the end-to-end box tests.
/// </summary>
public sealed class SshdServer : IDisposable
{
    private readonly LoopbackProcess process;

    private SshdServer(string directory, int port, SshKeyPair loginKey, string hostKeyFingerprint, LoopbackProcess process)
    {
        Directory = directory;
        Port = port;
        LoginKey = loginKey;
        HostKeyFingerprint = hostKeyFingerprint;
        this.process = process;
    }

    /// <summary>The server's own folder (config, host key, authorized_keys, pid file).</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>The account sshd runs as, which is the account it lets in.</summary>
    public static string User => Environment.UserName;

    public static bool RunsAsRoot => Environment.UserName == "root";

    /// <summary>The key in authorized_keys.</summary>
    public SshKeyPair LoginKey { get; }

    /// <summary>SHA256:… of the host key, as ssh-keygen -l prints it.</summary>
    public string HostKeyFingerprint { get; }

    public string Log => process.Log;

    /// <summary>Starts a server with a new ed25519 host key; <paramref name="loginKey"/> defaults to a new key.</summary>
    public static async Task<SshdServer> StartAsync(string directory, SshKeyPair? loginKey = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        loginKey ??= SshKeys.Generate("sshd-test");
        var hostKey = Path.Combine(directory, "ssh_host_ed25519_key");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f", hostKey);
        var fingerprint = Run("ssh-keygen", "-l", "-E", "sha256", "-f", hostKey + ".pub").Split(' ')[1];
        var authorizedKeys = Path.Combine(directory, "authorized_keys");
        File.WriteAllText(authorizedKeys, loginKey.AuthorizedKeysLine + "\n");
        if (RunsAsRoot)
        {
            // sshd started by root wants its privilege-separation folder (the Debian package makes it at boot).
            System.IO.Directory.CreateDirectory("/run/sshd");
        }

        var port = LoopbackProcess.FreePort();
        var config = Path.Combine(directory, "sshd_config");
        File.WriteAllText(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            PidFile {Path.Combine(directory, "sshd.pid")}
            AuthorizedKeysFile {authorizedKeys}
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            Subsystem sftp internal-sftp
            LogLevel VERBOSE

            """);
        var process = await LoopbackProcess.StartAsync("/usr/sbin/sshd", ["-D", "-e", "-f", config], port);
        return new SshdServer(directory, port, loginKey, fingerprint, process);
    }

    /// <summary>A target for this server with the given settings added to user, port, login key and host 127.0.0.1.</summary>
    public DeliveryTarget Target(IReadOnlyDictionary<string, string> settings, string? privateKey = null) =>
        new("lab-box", ["127.0.0.1"],
            new Dictionary<string, string>(settings) { [SshOptions.User] = User, [SshOptions.Port] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new Dictionary<string, string> { [SshOptions.PrivateKey] = privateKey ?? LoginKey.PrivateKey });

    public static string Run(string program, params string[] arguments)
    {
        var (exitCode, output) = OpenSslHierarchy.Run(program, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {output}");
    }

    public void Dispose() => process.Dispose();
}
