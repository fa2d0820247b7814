using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>
/// One test's box: a temp folder with an openssl root → intermediate → leaf hierarchy, a real sshd, and the delivery
/// under test. <see cref="StartNginxAsync"/> adds an nginx serving the hierarchy's first leaf.
/// </summary>
public sealed class SshLab : IDisposable
{
    private readonly List<IDisposable> servers = [];

    private SshLab(string directory, OpenSslHierarchy pki, SshdServer sshd)
    {
        Directory = directory;
        Pki = pki;
        Sshd = sshd;
        servers.Add(sshd);
    }

    public string Directory { get; }

    public OpenSslHierarchy Pki { get; }

    public SshdServer Sshd { get; }

    public SshDelivery Delivery { get; } = new(NullLogger<SshDelivery>.Instance);

    public static async Task<SshLab> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ssh-lab-" + Guid.NewGuid().ToString("N")[..12]);
        var pki = OpenSslHierarchy.Create(Path.Combine(directory, "pki"));
        var sshd = await SshdServer.StartAsync(Path.Combine(directory, "sshd"));
        return new SshLab(directory, pki, sshd);
    }

    public async Task<NginxServer> StartNginxAsync()
    {
        var first = Bundle(Pki.LeafCert, Pki.LeafKey);
        var nginx = await NginxServer.StartAsync(Path.Combine(Directory, "nginx"), first.FullChainPem, first.PrivateKeyPem);
        servers.Add(nginx);
        return nginx;
    }

    /// <summary>A second sshd (its own host key) that lets the same login key in: the same box after a reinstall, or an impostor.</summary>
    public async Task<SshdServer> StartOtherSshdAsync()
    {
        var other = await SshdServer.StartAsync(Path.Combine(Directory, "sshd-other"), Sshd.LoginKey);
        servers.Add(other);
        return other;
    }

    /// <summary>A new leaf for the hierarchy's name under its intermediate: NAME.pem and NAME.key.</summary>
    public DeliveryBundle NewLeaf(string name)
    {
        var cert = Pki.IssueLeaf(name, string.Empty);
        return Bundle(cert, Pki.File(name + ".key"));
    }

    public DeliveryBundle Bundle(string certFile, string keyFile)
    {
        using var leaf = X509CertificateLoader.LoadCertificateFromFile(certFile);
        return new DeliveryBundle(1, "lab " + Path.GetFileNameWithoutExtension(certFile), File.ReadAllText(certFile), File.ReadAllText(Pki.IntermediateCert),
            File.ReadAllText(Pki.RootCert), File.ReadAllText(keyFile), NginxServer.Fingerprint(leaf));
    }

    /// <summary>A folder for target files with the given files already in it (name → content).</summary>
    public string Folder(string name, params (string File, string Content)[] files)
    {
        var folder = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(folder);
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), content);
        }

        return folder;
    }

    /// <summary>`openssl verify` of <paramref name="served"/> against the hierarchy's root (the intermediate as untrusted help).</summary>
    public string Verify(X509Certificate2 served)
    {
        var path = Path.Combine(Directory, "served-" + Guid.NewGuid().ToString("N")[..8] + ".pem");
        File.WriteAllText(path, served.ExportCertificatePem());
        return OpenSslHierarchy.Run("openssl", "verify", "-CAfile", Pki.RootCert, "-untrusted", Pki.IntermediateCert, path).Output.Trim();
    }

    public void Dispose()
    {
        foreach (var server in servers)
        {
            server.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
