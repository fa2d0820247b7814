using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>
/// A real SMTP server: Debian's python3-aiosmtpd on a random loopback port, plain, with STARTTLS or with implicit TLS
/// (a self-signed certificate made here), optionally with a login; each message it accepts lands as a file in a folder.
/// </summary>
internal sealed class SmtpServer : IAsyncDisposable
{
    /// <summary>Debian's interpreter, which has the python3-aiosmtpd package (a pyenv python3 on PATH may not).</summary>
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import asyncio, itertools, os, ssl, sys, threading
        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

        folder, mode, cert, key, login = sys.argv[1:6]
        counter = itertools.count(1)

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                path = os.path.join(folder, '%04d.eml' % next(counter))
                with open(path + '.tmp', 'wb') as f:
                    f.write(envelope.original_content)
                with open(path + '.rcpt', 'w') as f:
                    f.write(envelope.mail_from + '\n' + '\n'.join(envelope.rcpt_tos))
                os.rename(path + '.tmp', path)
                return '250 OK'

        def authenticator(server, session, envelope, mechanism, auth_data):
            given = isinstance(auth_data, LoginPassword) and (auth_data.login + b':' + auth_data.password).decode()
            # handled=False: aiosmtpd then answers 535 itself (its default, handled=True, answers nothing).
            return AuthResult(success=given == login, handled=False)

        def stop_when_stdin_closes():
            sys.stdin.read()
            os._exit(0)

        async def main():
            context = None
            if mode != 'plain':
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(cert, key)
            def factory():
                options = dict(hostname='smtp.test')
                if mode == 'starttls':
                    options.update(tls_context=context, require_starttls=True)
                if login:
                    options.update(authenticator=authenticator, auth_required=True, auth_require_tls=(mode == 'starttls'))
                return SMTP(Handler(), **options)
            server = await asyncio.get_running_loop().create_server(factory, '127.0.0.1', 0, ssl=context if mode == 'tls' else None)
            print(server.sockets[0].getsockname()[1], flush=True)
            await server.serve_forever()

        threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
        asyncio.run(main())
        """;

    private readonly Process _process;

    private SmtpServer(Process process, string folder, int port, string? fingerprint)
    {
        _process = process;
        Folder = folder;
        Port = port;
        Fingerprint = fingerprint;
    }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>SHA-256 of the server's certificate (hex), for pinning; null for a plain server.</summary>
    public string? Fingerprint { get; }

    /// <param name="mode">plain, starttls or tls (implicit).</param>
    /// <param name="login">"user:password" to require a login; empty for none.</param>
    public static async Task<SmtpServer> StartAsync(string mode = "plain", string login = "")
    {
        var folder = Directory.CreateTempSubdirectory("synocert-smtp-").FullName;
        string certPath = string.Empty, keyPath = string.Empty;
        string? fingerprint = null;
        if (mode != "plain")
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=smtp.test", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("smtp.test");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            certPath = Path.Combine(folder, "server.crt");
            keyPath = Path.Combine(folder, "server.key");
            await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
            fingerprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        }

        var messages = Directory.CreateDirectory(Path.Combine(folder, "messages")).FullName;
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Script, messages, mode, certPath, keyPath, login })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            process.Kill();
            throw new InvalidOperationException($"aiosmtpd did not start (is python3-aiosmtpd installed?): {await errors}");
        }

        return new SmtpServer(process, messages, port, fingerprint);
    }

    /// <summary>The messages received so far, parsed, in the order they arrived.</summary>
    public IReadOnlyList<(MimeMessage Message, string[] Envelope)> Messages() =>
        [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal)
            .Select(path => (MimeMessage.Load(path), File.ReadAllLines(path + ".rcpt")))];

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true);
    }
}
