using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// `cert export` and `cert import` with --server against servers that are not the panel: the download and upload paths
/// end with one clear sentence and exit 1, like every other call, and leave no file behind.
/// </summary>
public sealed class RemoteTransferFailureTests : IDisposable
{
    private readonly CliDataDirectory _directory = new();
    private readonly string _token;

    public RemoteTransferFailureTests() => _token = RemotePanelFixture.WriteTokenFile(_directory.File("token"), "scp_" + new string('x', 40));

    public void Dispose() => _directory.Dispose();

    private string Out => _directory.File("exported.pem");

    private Task<(int ExitCode, string Output, string Error)> ExportAsync(JunkServer server, params string[] more) =>
        CliRun.RunAsync(["--server", server.Address, "--token-file", _token, "--fingerprint", server.Fingerprint, "cert", "export", "7", "--out", Out, .. more]);

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>", "and text/html, which is not the panel's API")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", "and application/json, which is not the panel's API")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\nContent-Length: 0\r\n\r\n", "with an empty file, not the panel's API")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\nContent-Length: 10000000000\r\n\r\n-", "sent an answer larger than 8 MB")]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "has no GET /api/v1/certificates/7/export/pem (404)")]
    [InlineData("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", "refused GET /api/v1/certificates/7/export/pem to this token (403)")]
    [InlineData("HTTP/1.1 409 Conflict\r\nContent-Type: application/problem+json\r\nContent-Length: 28\r\n\r\n{\"detail\":\"Busy elsewhere.\"}", "Busy elsewhere.")]
    [InlineData("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n", "try again in 7 s")]
    [InlineData("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", "failed on GET /api/v1/certificates/7/export/pem (502")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "did not answer in HTTP")]
    public async Task Export_AnswerThatIsNotAFile_IsOneClearSentenceAndWritesNothing(string answer, string expected)
    {
        await using var server = JunkServer.Answering(answer);

        CliDataDirectory.AssertRefused(await ExportAsync(server, "--format", "pem"), expected);
        Assert.False(File.Exists(Out));
        Assert.Empty(Directory.GetFiles(_directory.Root, "*.tmp"));
    }

    [Fact]
    public async Task Export_HugeDownload_IsRefusedWithoutReadingItAll()
    {
        var sent = 0L;
        await using var server = JunkServer.Start(async (stream, cancellationToken) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\n\r\n"), cancellationToken);
            var chunk = new byte[64 * 1024];
            while (sent < 1L << 30)
            {
                await stream.WriteAsync(chunk, cancellationToken);
                sent += chunk.Length;
            }
        });

        CliDataDirectory.AssertRefused(await ExportAsync(server, "--format", "der"), "sent an answer larger than 8 MB");
        Assert.True(sent < 1L << 30, $"{sent} bytes were sent");
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/problem+json\r\nContent-Length: 26\r\n\r\n{\"detail\":\"Too big here.\"}", "Too big here.")]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", "failed on POST /api/v1/certificates/import (500")]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>", "and text/html, which is not the panel's API")]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nnull", "with an empty JSON value")]
    [InlineData("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", "refused the token (401)")]
    public async Task Import_AnswerThatIsNotTheApi_IsOneClearSentence(string answer, string expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=upload.home.arpa", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(_directory.File("cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(_directory.File("key.pem"), key.ExportPkcs8PrivateKeyPem());
        await using var server = JunkServer.Answering(answer);

        var result = await CliRun.RunAsync("--server", server.Address, "--token-file", _token, "--fingerprint", server.Fingerprint,
            "cert", "import", "--cert", _directory.File("cert.pem"), "--key", _directory.File("key.pem"));

        CliDataDirectory.AssertRefused(result, expected);
        Assert.StartsWith("POST /api/v1/certificates/import HTTP/1.1\r\n", Assert.Single(server.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_NothingListening_SaysConnectionRefused()
    {
        var result = await CliRun.RunAsync("--server", $"https://127.0.0.1:{ClosedPort()}", "--token-file", _token, "cert", "export", "7", "--format", "pem",
            "--out", Out);

        CliDataDirectory.AssertRefused(result, "connection refused");
        Assert.False(File.Exists(Out));
    }

    /// <summary>A loopback port that nothing listens on (just freed).</summary>
    internal static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
