using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>
/// Debian's nginx serving TLS on 127.0.0.1 and a random port from a folder the test owns: it reads
/// <see cref="FullChainPath"/> and <see cref="KeyPath"/> (in <see cref="CertificateFolder"/>), keeps its pid and logs in
/// its own folder, and reloads with <see cref="ReloadCommand"/>.
/// </summary>
public sealed class NginxServer : IDisposable
{
    private readonly LoopbackProcess process;

    private NginxServer(string directory, int port, LoopbackProcess process)
    {
        Directory = directory;
        Port = port;
        this.process = process;
    }

    public string Directory { get; }

    public int Port { get; }

    public string CertificateFolder => Path.Combine(Directory, "certs");

    public string FullChainPath => Path.Combine(CertificateFolder, "fullchain.pem");

    public string KeyPath => Path.Combine(CertificateFolder, "privkey.pem");

    public string ConfigPath => Path.Combine(Directory, "nginx.conf");

    public string ErrorLog => Path.Combine(Directory, "error.log");

    /// <summary>What the operator would set as the box's reload command.</summary>
    public string ReloadCommand => $"nginx -s reload -c {ConfigPath} -p {Directory}/ -e {ErrorLog}";

    public string Log => process.Log + (File.Exists(ErrorLog) ? File.ReadAllText(ErrorLog) : string.Empty);

    /// <summary>Starts nginx serving <paramref name="fullChainPem"/> with <paramref name="keyPem"/>.</summary>
    public static async Task<NginxServer> StartAsync(string directory, string fullChainPem, string keyPem)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "certs"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "temp"));
        var port = LoopbackProcess.FreePort();
        var server = Path.Combine(directory, "certs");
        File.WriteAllText(Path.Combine(server, "fullchain.pem"), fullChainPem);
        File.WriteAllText(Path.Combine(server, "privkey.pem"), keyPem);
        var temp = Path.Combine(directory, "temp");
        var config = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(config, $$"""
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log notice;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                server {
                    listen 127.0.0.1:{{port}} ssl;
                    server_name {{OpenSslHierarchy.LeafName}};
                    ssl_certificate {{server}}/fullchain.pem;
                    ssl_certificate_key {{server}}/privkey.pem;
                    location / { return 200 "ok\n"; }
                }
            }

            """);
        var process = await LoopbackProcess.StartAsync("/usr/sbin/nginx",
            ["-c", config, "-p", directory + "/", "-e", Path.Combine(directory, "error.log"), "-g", "daemon off;"], port);
        return new NginxServer(directory, port, process);
    }

    /// <summary>The leaf nginx serves now, by a real TLS handshake with SNI (no trust decision here: the test checks it).</summary>
    public async Task<X509Certificate2> ServedCertificateAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        X509Certificate2? served = null;
        // Accepts what nginx serves so the test can look at it; trust is checked by openssl verify against the root.
#pragma warning disable CA5359
        using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) =>
        {
            served = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        });
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = OpenSslHierarchy.LeafName });
        return served ?? throw new InvalidOperationException("nginx sent no certificate.");
    }

    /// <summary>
    /// Waits until nginx serves the certificate with <paramref name="sha256"/> (its master handles the reload signal a
    /// moment after <c>nginx -s reload</c> returns), and returns what it serves at the end.
    /// </summary>
    public async Task<X509Certificate2> ServedAfterReloadAsync(string sha256)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var served = await ServedCertificateAsync();
            if (Fingerprint(served) == sha256 || DateTime.UtcNow > deadline)
            {
                return served;
            }

            served.Dispose();
            await Task.Delay(100);
        }
    }

    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public void Dispose() => process.Dispose();
}
