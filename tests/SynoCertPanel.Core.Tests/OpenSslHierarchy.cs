using System.Diagnostics;

namespace SynoCertPanel.Core.Tests;

/// <summary>
/// A root → intermediate → server hierarchy made by the system openssl (P-256, fast), so imports are tested
/// on files another tool wrote, not on our own output. Also shared by the command-line tests.
/// </summary>
public sealed class OpenSslHierarchy
{
    private OpenSslHierarchy(string directory) => Directory = directory;

    public string Directory { get; }

    public string RootCert => File("root.pem");

    public string RootKey => File("root.key");

    public string IntermediateCert => File("intermediate.pem");

    public string IntermediateKey => File("intermediate.key");

    public string LeafCert => File("leaf.pem");

    public string LeafKey => File("leaf.key");

    /// <summary>The intermediate alone: what a server sends after its leaf.</summary>
    public string Chain => IntermediateCert;

    public const string LeafName = "nas.home.arpa";

    public static OpenSslHierarchy Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var pki = new OpenSslHierarchy(directory);
        pki.Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", pki.RootKey, "-out", pki.RootCert,
            "-days", "60", "-subj", "/CN=OpenSSL Test Root", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        pki.Issue("intermediate", "/CN=OpenSSL Test Intermediate", pki.RootCert, pki.RootKey,
            "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        pki.Issue("leaf", "/CN=" + LeafName, pki.IntermediateCert, pki.IntermediateKey,
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            + $"subjectAltName=DNS:{LeafName},IP:192.168.1.10\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        return pki;
    }

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>
    /// A server certificate for <see cref="LeafName"/> under the intermediate, with <paramref name="extraExtensions"/>
    /// (openssl extension-file lines) added: NAME.pem, keyed by <paramref name="keyFile"/> or a new P-256 NAME.key.
    /// </summary>
    public string IssueLeaf(string name, string extraExtensions, string? keyFile = null)
    {
        var extensions = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            + $"subjectAltName=DNS:{LeafName}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n{extraExtensions}\n";
        Issue(name, "/CN=" + LeafName, IntermediateCert, IntermediateKey, extensions, keyFile);
        return File(name + ".pem");
    }

    /// <summary>The zip layout DSM exports (cert.pem, privkey.pem, syno-ca-cert.pem), built from files on disk.</summary>
    public byte[] SynologyZip(string cert, string key)
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entry, path) in new[] { ("cert.pem", cert), ("privkey.pem", key), ("syno-ca-cert.pem", IntermediateCert) })
            {
                using var stream = zip.CreateEntry(entry).Open();
                stream.Write(System.IO.File.ReadAllBytes(path));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Runs openssl in the hierarchy's folder and returns its output; a failure is a broken test setup.</summary>
    public string Openssl(params string[] arguments)
    {
        var (exitCode, output) = RunIn(Directory, "openssl", arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {output}");
    }

    public static (int ExitCode, string Output) Run(string program, params string[] arguments) => RunIn(null, program, arguments);

    private static (int ExitCode, string Output) RunIn(string? workingDirectory, string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? string.Empty };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    private void Issue(string name, string subject, string issuerCert, string issuerKey, string extensions, string? keyFile = null)
    {
        var csr = File(name + ".csr");
        var ext = File(name + ".ext");
        System.IO.File.WriteAllText(ext, extensions);
        string[] key = keyFile is null
            ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", File(name + ".key")]
            : ["-key", keyFile];
        Openssl(["req", "-new", .. key, "-out", csr, "-subj", subject]);
        Openssl("x509", "-req", "-in", csr, "-CA", issuerCert, "-CAkey", issuerKey, "-set_serial", "0x" + Convert.ToHexString(Guid.NewGuid().ToByteArray()[..12]),
            "-days", "30", "-sha256", "-extfile", ext, "-out", File(name + ".pem"));
    }
}
