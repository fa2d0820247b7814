using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// The remote command line against servers that are not the panel, or not there: each ends with one clear sentence and
/// exit 1 (2 for options that cannot work), never a stack trace, and the token only ever goes to a server it trusts.
/// </summary>
public sealed class RemoteFailureTests : IDisposable
{
    private readonly CliDataDirectory _directory = new();
    private readonly string _token;

    public RemoteFailureTests() => _token = RemotePanelFixture.WriteTokenFile(_directory.File("token"), "scp_" + new string('x', 40));

    public void Dispose() => _directory.Dispose();

    private Task<(int ExitCode, string Output, string Error)> ListAsync(JunkServer server, params string[] more) =>
        CliRun.RunAsync(["--server", server.Address, "--token-file", _token, "--fingerprint", server.Fingerprint, .. more, "cert", "list"]);

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{not json", "with JSON that is not the panel's API")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 25\r\n\r\n{\"items\":null,\"total\":1}\n", "with JSON that is not the panel's API")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nnull", "with an empty JSON value")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>", "and text/html, which is not the panel's API")]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", "failed on GET /api/v1/certificates")]
    [InlineData("HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/\r\nContent-Length: 0\r\n\r\n", "with a redirect to https://elsewhere.example/")]
    [InlineData("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", "refused the token (401)")]
    [InlineData("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n", "try again in 7 s")]
    [InlineData("HTTP/1.1 403 Forbidden\r\nContent-Type: application/problem+json\r\nContent-Length: 31\r\n\r\n{\"detail\":\"No \\u001b[31mred.\"}\n", "No \\u001B[31mred.")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "did not answer in HTTP")]
    public async Task List_AnswerThatIsNotTheApi_IsOneClearSentence(string answer, string expected)
    {
        await using var server = JunkServer.Answering(answer);

        var result = await ListAsync(server);

        CliDataDirectory.AssertRefused(result, expected);
        Assert.Contains("Bearer scp_", Assert.Single(server.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_HugeAnswer_IsRefusedWithoutReadingItAll()
    {
        var sent = 0L;
        await using var server = JunkServer.Start(async (stream, cancellationToken) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n["), cancellationToken);
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,", 32 * 1024)));
            while (sent < 1L << 30)
            {
                await stream.WriteAsync(chunk, cancellationToken);
                sent += chunk.Length;
            }
        });

        var result = await ListAsync(server);

        CliDataDirectory.AssertRefused(result, "sent an answer larger than 8 MB");
        Assert.True(sent < 1L << 30, $"{sent} bytes were sent");
    }

    [Fact]
    public async Task List_HugeContentLength_IsRefusedAtOnce()
    {
        await using var server = JunkServer.Answering("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n[");

        CliDataDirectory.AssertRefused(await ListAsync(server), "sent an answer larger than 8 MB");
    }

    [Fact]
    public async Task List_ServerThatNeverAnswers_TimesOut()
    {
        await using var server = JunkServer.Start((_, cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken));

        var result = await ListAsync(server, "--timeout", "1");

        CliDataDirectory.AssertRefused(result, "did not answer within 1 s (--timeout to wait longer)");
    }

    [Fact]
    public async Task List_WrongFingerprint_SendsNoToken()
    {
        await using var server = JunkServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        var result = await CliRun.RunAsync("--server", server.Address, "--token-file", _token, "--fingerprint", new string('0', 64), "cert", "list");

        CliDataDirectory.AssertRefused(result, "not the pinned one");
        Assert.Contains("\"CN=junk.home.arpa\"", result.Error, StringComparison.Ordinal);
        Assert.All(server.Requests, head => Assert.Equal(string.Empty, head));
    }

    [Fact]
    public async Task List_UntrustedServer_SendsNoToken()
    {
        await using var server = JunkServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        var result = await CliRun.RunAsync("--server", server.Address, "--token-file", _token, "cert", "list");

        CliDataDirectory.AssertRefused(result, "which this machine does not trust");
        Assert.All(server.Requests, head => Assert.Equal(string.Empty, head));
    }

    [Fact]
    public async Task List_PlainTcpServer_TlsHandshakeFails()
    {
        await using var server = JunkServer.Answering("HTTP/1.1 400 Bad Request\r\n\r\nThis is plain HTTP.", tls: false);

        var result = await CliRun.RunAsync("--server", server.Address, "--token-file", _token, "--fingerprint", new string('0', 64), "cert", "list");

        Assert.Equal(Web.Cli.CliContext.Refused, result.ExitCode);
        Assert.Contains("The TLS handshake with 127.0.0.1:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NothingListening_SaysConnectionRefused()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var result = await CliRun.RunAsync("--server", $"https://127.0.0.1:{port}", "--token-file", _token, "cert", "list", "--json");

        CliDataDirectory.AssertRefused(result, $"Nothing accepts connections on 127.0.0.1:{port} (connection refused)");
        Assert.StartsWith("{\"error\":\"Nothing accepts", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_UnknownHostName_SaysTheNameDoesNotResolve()
    {
        // .invalid never resolves (RFC 2606).
        var result = await CliRun.RunAsync("--server", "https://nas.invalid:8443", "--token-file", _token, "cert", "list");

        CliDataDirectory.AssertRefused(result, "Cannot find the server nas.invalid: its name does not resolve");
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "(mode 644); make it yours alone with `chmod 600")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead, "(mode 440)")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite, "(mode 602)")]
    public async Task TokenFile_OthersMayUseIt_IsRefusedAsSshDoes(UnixFileMode mode, string expected)
    {
        File.SetUnixFileMode(_token, mode);

        var result = await CliRun.RunAsync("--server", "https://127.0.0.1:9", "--token-file", _token, "cert", "list");

        CliDataDirectory.AssertRefused(result, expected);
        Assert.Contains("can be read or changed by other users", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("  \n", "is empty")]
    [InlineData("scp_one scp_two", "holds more than one token")]
    [InlineData("scp_one\nscp_two", "holds more than one token")]
    public async Task TokenFile_NotOneToken_IsRefused(string content, string expected)
    {
        RemotePanelFixture.WriteTokenFile(_token, string.Empty);
        File.WriteAllText(_token, content);

        CliDataDirectory.AssertRefused(await CliRun.RunAsync("--server", "https://127.0.0.1:9", "--token-file", _token, "cert", "list"), expected);
    }

    [Fact]
    public async Task TokenFile_Missing_IsRefused() =>
        CliDataDirectory.AssertRefused(await CliRun.RunAsync("--server", "https://127.0.0.1:9", "--token-file", _directory.File("none"), "cert", "list"),
            "does not exist");

    [Fact]
    public async Task TokenFile_TooLarge_IsRefused()
    {
        File.WriteAllText(_token, new string('a', 5000));

        CliDataDirectory.AssertRefused(await CliRun.RunAsync("--server", "https://127.0.0.1:9", "--token-file", _token, "cert", "list"), "larger than 4096 bytes");
    }

    [Theory]
    [InlineData("must be an https:// address", "--server", "http://nas:8080", "--token-file", "T", "cert", "list")]
    [InlineData("takes the panel's https:// address", "--server", "nas:8443", "--token-file", "T", "cert", "list")]
    [InlineData("without a path", "--server", "https://nas:8443/api", "--token-file", "T", "cert", "list")]
    [InlineData("--server needs --token-file", "--server", "https://nas:8443", "cert", "list")]
    [InlineData("--token-file goes with --server", "--token-file", "T", "cert", "list")]
    [InlineData("--fingerprint goes with --server", "--fingerprint", "AB", "cert", "list")]
    [InlineData("`token list` works on the data directory here only; with --server these work: ca list, cert create, cert list, cert show, "
        + "cert renew, cert set-default, cert delete, cert import, cert export, csr create, csr sign, csr list, csr show, csr cancel.", "--server", "https://nas:8443", "--token-file", "T", "token", "list")]
    [InlineData("`token create` works on the data directory here only", "--server", "https://nas:8443", "--token-file", "T", "token", "create", "--name", "n", "--scope", "audit:read")]
    [InlineData("--data and --server do not go together", "--server", "https://nas:8443", "--token-file", "T", "--data", "d", "cert", "list")]
    [InlineData("--timeout must be a whole number of seconds from 1 to 600", "--server", "https://nas:8443", "--token-file", "T", "--timeout", "0", "cert", "list")]
    public async Task Options_ThatCannotWork_AreAUsageError(string expected, params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(Web.Cli.CliContext.UsageError, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Help_NamesTheCommandsThatWorkRemotely()
    {
        var result = await CliRun.RunAsync("--help");

        Assert.Contains("Works for: ca list, cert create, cert list, cert show, cert renew, cert set-default, cert delete, cert import, cert export, csr create, csr sign, csr list, csr show, csr cancel.", System.Text.RegularExpressions.Regex.Replace(result.Output, @"\s+", " "), StringComparison.Ordinal);
    }
}
