using System.Security.Cryptography;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// `cert import --server`: two panels seeded alike, one importing over the API and one by the command on its own data
/// directory, from the same files; the same output (warnings included), the same refusals, and nothing sent that the
/// import could not read.
/// </summary>
public sealed class RemoteImportTests : IAsyncLifetime, IDisposable
{
    private const string Pkcs12Password = "pfx pass";

    private RemotePanelFixture _remote = null!;
    private RemotePanelFixture _local = null!;
    private string _writer = null!;
    private readonly TestAuthority _authority = new();

    public async Task InitializeAsync()
    {
        _remote = await RemotePanelFixture.StartAsync();
        _local = await RemotePanelFixture.StartAsync();
        _writer = await _remote.TokenFileAsync("cli", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
    }

    public async Task DisposeAsync()
    {
        await _remote.DisposeAsync();
        await _local.DisposeAsync();
    }

    public void Dispose() => _authority.Dispose();

    private string FilePath(string name) => _remote.Panel.FilePath(name);

    private string Write(string name, string text)
    {
        File.WriteAllText(FilePath(name), text);
        return FilePath(name);
    }

    private string Write(string name, byte[] bytes)
    {
        File.WriteAllBytes(FilePath(name), bytes);
        return FilePath(name);
    }

    /// <summary>Runs `cert import` remotely on one panel and here on the other's data directory; both print the same.</summary>
    private async Task<(int ExitCode, string Output, string Error)> BothAsync(params string[] args)
    {
        var remote = await _remote.RemoteAsync(_writer, ["cert", "import", .. args]);
        var local = await _local.LocalAsync(["cert", "import", .. args]);

        Assert.Equal(local, remote);
        return remote;
    }

    private async Task<CertificateSummary> NewestAsync() =>
        (await new InventoryService(_remote.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery { IncludeReplaced = true }, 0, null)).Items
            .MaxBy(i => i.Id)!;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_Remote_CertKeyAndChain_PrintsWhatTheLocalCommandPrints(bool json)
    {
        var (cert, key) = _authority.Issue("import.home.arpa");

        var imported = await BothAsync(["--cert", Write("cert.pem", cert), "--key", Write("key.pem", key), "--chain", Write("chain.pem", _authority.Pem),
            .. json ? new[] { "--json" } : []]);

        Assert.Equal(0, imported.ExitCode);
        Assert.Equal(json ? "{\"id\":7,\"certificateId\":7,\"requestId\":null,\"authorityId\":null}\n" : "Imported certificate 7\n", imported.Output);
        var newest = await NewestAsync();
        Assert.Equal((7, "import.home.arpa", true), (newest.Id, newest.Description, newest.HasPrivateKey));
    }

    [Fact]
    public async Task Import_Remote_Pkcs12WithPasswordFile_PrintsWhatTheLocalCommandPrints()
    {
        var pfx = _authority.IssuePkcs12("pfx.home.arpa", Pkcs12Password);

        var imported = await BothAsync("--pfx", Write("server.pfx", pfx), "--password-file", Write("pfx-password.txt", Pkcs12Password + "\n"), "--json");

        Assert.Equal(0, imported.ExitCode);
        Assert.StartsWith("{\"id\":7,", imported.Output, StringComparison.Ordinal);
        Assert.True((await NewestAsync()).HasPrivateKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_Remote_SignedForACsrMadeThere_TakesThePendingRequestsKey(bool json)
    {
        var remoteCsr = FilePath("remote.csr");
        var localCsr = _local.Panel.FilePath("local.csr");
        Assert.Equal(0, (await _remote.RemoteAsync(_writer, "csr", "create", "--cn", "csr.home.arpa", "--san", "csr.home.arpa", "--key", "p256",
            "--out", remoteCsr)).ExitCode);
        Assert.Equal(0, (await _local.LocalAsync("csr", "create", "--cn", "csr.home.arpa", "--san", "csr.home.arpa", "--key", "p256", "--out", localCsr)).ExitCode);
        // Each panel's own request signed by the same outside CA, into the same file name, so both commands read alike.
        var signed = FilePath("signed.pem");
        File.WriteAllText(signed, _authority.Sign(File.ReadAllText(remoteCsr)) + _authority.Pem);
        string[] args = ["--cert", signed, .. json ? new[] { "--json" } : []];
        var remote = await _remote.RemoteAsync(_writer, ["cert", "import", .. args]);
        File.WriteAllText(signed, _authority.Sign(File.ReadAllText(localCsr)) + _authority.Pem);
        var local = await _local.LocalAsync(["cert", "import", .. args]);

        Assert.Equal(local, remote);
        Assert.Equal(0, remote.ExitCode);
        Assert.Equal(json ? "{\"id\":7,\"certificateId\":7,\"requestId\":1,\"authorityId\":null}\n" : "Imported certificate 7 (the key of pending request 1)\n",
            remote.Output);
        Assert.Empty(await new RequestService(_remote.Storage, TimeProvider.System).ListAsync());
        Assert.True((await NewestAsync()).HasPrivateKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_Remote_CaWithItsKey_SaysTheCaIsNowHeldAsLocally(bool json)
    {
        var imported = await BothAsync(["--cert", Write("ca.pem", _authority.Pem), "--key", Write("ca.key", _authority.KeyPem),
            .. json ? new[] { "--json" } : []]);

        Assert.Equal(0, imported.ExitCode);
        Assert.Equal(json ? "{\"id\":7,\"certificateId\":7,\"requestId\":null,\"authorityId\":4}\n" : "Imported certificate 7; CA 4 is now held here\n",
            imported.Output);
        Assert.Contains(await new AuthorityService(_remote.Storage, TimeProvider.System).ListAsync(), a => a.Id == 4);
    }

    [Fact]
    public async Task Import_Remote_ValidLongerThanPublicCasMay_PrintsTheImportsWarningsAsLocally()
    {
        var (cert, key) = _authority.Issue("long.home.arpa", days: 500);

        var imported = await BothAsync("--cert", Write("cert.pem", cert), "--key", Write("key.pem", key), "--chain", Write("chain.pem", _authority.Pem));

        Assert.Equal(0, imported.ExitCode);
        Assert.Contains("warning: Info n_sub_cert_validity_over_398_days: ", imported.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Remote_SameCertificateTwice_PrintsThePanelsRefusal()
    {
        var (cert, key) = _authority.Issue("twice.home.arpa");
        string[] args = ["--cert", Write("cert.pem", cert), "--key", Write("key.pem", key)];
        Assert.Equal(0, (await BothAsync(args)).ExitCode);

        var again = await BothAsync(args);

        Assert.Equal(Web.Cli.CliContext.Refused, again.ExitCode);
        Assert.Single(again.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(7, (await NewestAsync()).Id);
    }

    [Fact]
    public async Task Import_Remote_Expired_PrintsThePanelsRefusal()
    {
        var (cert, key) = _authority.Issue("old.home.arpa", expired: true);

        var refused = await BothAsync("--cert", Write("cert.pem", cert), "--key", Write("key.pem", key), "--json");

        CliDataDirectory.AssertRefused(refused, "The certificate expired on ");
        Assert.StartsWith("{\"error\":\"The certificate expired on ", refused.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Give exactly one of --cert, --archive or --pfx.", "none")]
    [InlineData("Give exactly one of --cert, --archive or --pfx.", "cert", "pfx")]
    [InlineData("--key and --chain go with --cert", "pfx", "key")]
    [InlineData("does not exist", "missing")]
    [InlineData("does not belong", "cert", "other-key")]
    [InlineData("is empty", "cert", "key", "empty-password")]
    [InlineData("\"garbage.pem\" is neither PEM nor a DER certificate or private key.", "garbage")]
    [InlineData("\"server.pfx\": The password is wrong for this PKCS#12 file.", "pfx", "wrong-password")]
    public async Task Import_Remote_Refused_PrintsTheLocalCommandsSentence(string expected, params string[] which)
    {
        var (cert, key) = _authority.Issue("refused.home.arpa");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var args = new List<string>();
        foreach (var item in which)
        {
            args.AddRange(item switch
            {
                "cert" => ["--cert", Write("cert.pem", cert)],
                "key" => ["--key", Write("key.pem", key)],
                "other-key" => ["--key", Write("other.key", other.ExportPkcs8PrivateKeyPem())],
                "pfx" => ["--pfx", Write("server.pfx", _authority.IssuePkcs12("refused.home.arpa", Pkcs12Password))],
                "missing" => ["--cert", FilePath("nowhere.pem")],
                "empty-password" => ["--password-file", Write("empty.txt", string.Empty)],
                "wrong-password" => ["--password-file", Write("wrong.txt", "not it\n")],
                "garbage" => ["--cert", Write("garbage.pem", [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7))])],
                _ => [],
            });
        }

        var refused = await BothAsync([.. args]);

        CliDataDirectory.AssertRefused(refused, expected);
        Assert.Equal(6, (await NewestAsync()).Id);
    }

    [Theory]
    [InlineData("garbage", "\"garbage.pem\" is neither PEM nor a DER certificate or private key.")]
    [InlineData("large", "is 1025 KiB; at most 1024 KiB is accepted.")]
    [InlineData("long-password", "The password is 1025 characters long; at most 1024 are accepted.")]
    public async Task Import_Remote_WhatTheImportCannotTake_IsRefusedBeforeAnythingIsSent(string which, string expected)
    {
        var (cert, key) = _authority.Issue("unsent.home.arpa");
        string[] args = which switch
        {
            "garbage" => ["--cert", Write("garbage.pem", [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7))])],
            "large" => ["--cert", Write("large.pem", new byte[1025 * 1024]), "--key", Write("key.pem", key)],
            _ => ["--cert", Write("cert.pem", cert), "--key", Write("key.pem", key), "--password-file", Write("long.txt", new string('p', 1025) + "\n")],
        };

        // The server records every request that reaches it: none may.
        await using var server = JunkServer.Answering("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
        var result = await CliRun.RunAsync(["--server", server.Address, "--token-file", _writer, "--fingerprint", server.Fingerprint, "cert", "import", .. args]);

        CliDataDirectory.AssertRefused(result, expected);
        Assert.Empty(server.Requests);
        if (which != "long-password")
        {
            Assert.Equal(result.Error, (await _local.LocalAsync(["cert", "import", .. args])).Error);
        }
    }

    [Fact]
    public async Task Import_Remote_ReadOnlyToken_NamesTheMissingScope()
    {
        var reader = await _remote.TokenFileAsync("reader", ApiScopes.CertificatesRead);
        var (cert, key) = _authority.Issue("scope.home.arpa");

        var refused = await _remote.RemoteAsync(reader, "cert", "import", "--cert", Write("cert.pem", cert), "--key", Write("key.pem", key));

        CliDataDirectory.AssertRefused(refused, "This token lacks the scope certificates:write");
        Assert.Equal(6, (await NewestAsync()).Id);
    }

    [Fact]
    public async Task Import_Remote_SendsTheFilesAsAMultipartForm()
    {
        var (cert, key) = _authority.Issue("wire.home.arpa");
        await using var server = JunkServer.Answering("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\":7}\n");

        var result = await CliRun.RunAsync("--server", server.Address, "--token-file", _writer, "--fingerprint", server.Fingerprint,
            "cert", "import", "--cert", Write("cert.pem", cert), "--key", Write("key.pem", key));

        CliDataDirectory.AssertRefused(result, "with JSON that is not the panel's API");
        var head = Assert.Single(server.Requests);
        Assert.StartsWith("POST /api/v1/certificates/import HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: multipart/form-data; boundary=", head, StringComparison.OrdinalIgnoreCase);
    }
}
