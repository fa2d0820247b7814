using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Cli;
using SynoCertPanel.Web.Tests.Listener;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`cert set-default` runs the panel's apply pre-flight (all but the handshake) and refuses with its sentence.</summary>
public sealed class SetDefaultPreflightTests : IDisposable
{
    private const string Refusal = "cannot be the panel's certificate: ";

    private readonly string _root = Directory.CreateTempSubdirectory("synocert-cli-preflight-").FullName;
    private readonly OpenSslHierarchy _pki;
    private readonly MutableClock _clock = new();

    public SetDefaultPreflightTests() => _pki = OpenSslHierarchy.Create(Path.Combine(_root, "pki"));

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PanelCommandLine.RunAsync([.. args, "--data", Data], output, error, _clock);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The openssl leaf's request signed again by the intermediate with other extensions, imported with its key.</summary>
    private async Task<int> ImportVariantAsync(string name, string extensions)
    {
        var ext = _pki.File(name + ".ext");
        File.WriteAllText(ext, extensions);
        var cert = _pki.File(name + ".pem");
        _pki.Openssl("x509", "-req", "-in", _pki.File("leaf.csr"), "-CA", _pki.IntermediateCert, "-CAkey", _pki.IntermediateKey,
            "-set_serial", "0x" + Convert.ToHexString(Guid.NewGuid().ToByteArray()[..12]), "-days", "20", "-sha256", "-extfile", ext, "-out", cert);
        return await ImportAsync(cert);
    }

    private async Task<int> ImportAsync(string cert)
    {
        var imported = await RunAsync("cert", "import", "--cert", cert, "--key", _pki.LeafKey, "--chain", _pki.Chain, "--json");
        Assert.True(imported.ExitCode == 0, imported.Error);
        using var json = System.Text.Json.JsonDocument.Parse(imported.Output);
        return json.RootElement.GetProperty("id").GetInt32();
    }

    private async Task<int> CreateAsync(string host)
    {
        var created = await RunAsync("cert", "create", "--cn", host, "--key", "p256", "--json");
        Assert.True(created.ExitCode == 0, created.Error);
        using var json = System.Text.Json.JsonDocument.Parse(created.Output);
        return json.RootElement.GetProperty("id").GetInt32();
    }

    private async Task AssertRefusedAsync(int id, string reason)
    {
        var before = await DefaultIdAsync();

        var result = await RunAsync("cert", "set-default", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == CliContext.Refused, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains($"Certificate {id} {Refusal}{reason}", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(before, await DefaultIdAsync());
    }

    private async Task<int?> DefaultIdAsync()
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        return await DefaultCertificate.GetAsync(db);
    }

    private async Task ChangeRecordAsync(int id, Action<CertificateRecord> change)
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        change(await db.Certificates.FindAsync(id) ?? throw new InvalidOperationException($"No certificate {id}."));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task SetDefault_ServerCertificateWithChain_Accepted()
    {
        var id = await ImportAsync(_pki.LeafCert);

        var result = await RunAsync("cert", "set-default", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(id, await DefaultIdAsync());
    }

    [Fact]
    public async Task SetDefault_ClientCertificate_RefusedForMissingServerAuth()
    {
        var id = await ImportVariantAsync("client",
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:nas.home.arpa\n");

        await AssertRefusedAsync(id, "it is not allowed for TLS servers (its extended key usage lacks serverAuth)");
    }

    [Fact]
    public async Task SetDefault_NoExtendedKeyUsage_RefusedForMissingServerAuth()
    {
        var id = await ImportVariantAsync("no-eku", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectAltName=DNS:nas.home.arpa\n");

        await AssertRefusedAsync(id, "it is not allowed for TLS servers (its extended key usage lacks serverAuth)");
    }

    [Fact]
    public async Task SetDefault_CaCertificate_Refused()
    {
        var ca = await RunAsync("ca", "create", "--cn", "Home Root", "--key", "p256", "--json");
        using var json = System.Text.Json.JsonDocument.Parse(ca.Output);
        var caCertificateId = json.RootElement.GetProperty("certificateId").GetInt32();

        await AssertRefusedAsync(caCertificateId, "it is a CA certificate, not a server certificate");
    }

    [Fact]
    public async Task SetDefault_NoSubjectAlternativeName_RefusedWithTheLintError()
    {
        var id = await ImportVariantAsync("no-san", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");

        await AssertRefusedAsync(id, "clients would reject it: ");
    }

    [Fact]
    public async Task SetDefault_StoredChainIsALoop_RefusedBecauseTheChainDoesNotBuild()
    {
        // Two CAs, "Loop A" and "Loop B", each certified by the other: a stored chain that walks in a circle.
        const string caExtensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
        File.WriteAllText(_pki.File("loop-ca.ext"), caExtensions);
        foreach (var name in new[] { "a", "b" })
        {
            _pki.Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _pki.File($"loop-{name}.key"),
                "-out", _pki.File($"loop-{name}-root.pem"), "-days", "30", "-subj", $"/CN=Loop {name.ToUpperInvariant()}",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        }

        foreach (var (name, by) in new[] { ("a", "b"), ("b", "a") })
        {
            _pki.Openssl("req", "-new", "-key", _pki.File($"loop-{name}.key"), "-subj", $"/CN=Loop {name.ToUpperInvariant()}", "-out", _pki.File($"loop-{name}.csr"));
            _pki.Openssl("x509", "-req", "-in", _pki.File($"loop-{name}.csr"), "-CA", _pki.File($"loop-{by}-root.pem"), "-CAkey", _pki.File($"loop-{by}.key"),
                "-set_serial", "0x" + Convert.ToHexString(Guid.NewGuid().ToByteArray()[..12]), "-days", "30", "-extfile", _pki.File("loop-ca.ext"),
                "-out", _pki.File($"loop-{name}-by-{by}.pem"));
        }

        var leaf = _pki.File("loop-leaf.pem");
        File.WriteAllText(_pki.File("loop-leaf.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            + "subjectAltName=DNS:nas.home.arpa\nauthorityKeyIdentifier=keyid\n");
        _pki.Openssl("x509", "-req", "-in", _pki.File("leaf.csr"), "-CA", _pki.File("loop-a-root.pem"), "-CAkey", _pki.File("loop-a.key"),
            "-set_serial", "0x" + Convert.ToHexString(Guid.NewGuid().ToByteArray()[..12]), "-days", "20", "-extfile", _pki.File("loop-leaf.ext"), "-out", leaf);
        var imported = await RunAsync("cert", "import", "--cert", leaf, "--key", _pki.LeafKey, "--chain", _pki.File("loop-a-root.pem"), "--json");
        Assert.True(imported.ExitCode == 0, imported.Error);
        using var json = System.Text.Json.JsonDocument.Parse(imported.Output);
        var id = json.RootElement.GetProperty("id").GetInt32();
        await ChangeRecordAsync(id, record => record.ChainPem = File.ReadAllText(_pki.File("loop-a-by-b.pem")) + File.ReadAllText(_pki.File("loop-b-by-a.pem")));

        await AssertRefusedAsync(id, "its chain does not build: The certificates form a loop");
    }

    [Fact]
    public async Task SetDefault_Expired_RefusedAsNotValidNow()
    {
        var id = await CreateAsync("nas.home.arpa");
        _clock.Offset = TimeSpan.FromDays(400);

        await AssertRefusedAsync(id, "it is not valid now (valid ");
    }

    [Fact]
    public async Task SetDefault_NotYetValid_RefusedAsNotValidNow()
    {
        var id = await CreateAsync("nas.home.arpa");
        _clock.Offset = -TimeSpan.FromDays(2);

        await AssertRefusedAsync(id, "it is not valid now (valid ");
    }

    [Fact]
    public async Task SetDefault_StoredKeyOfAnotherCertificate_RefusedAsMismatch()
    {
        var id = await CreateAsync("nas1.home.arpa");
        var other = await CreateAsync("nas2.home.arpa");
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        int? otherKey;
        await using (var db = storage.CreateContext())
        {
            otherKey = (await db.Certificates.FindAsync(other))!.PrivateKeyId;
        }

        await ChangeRecordAsync(id, record => record.PrivateKeyId = otherKey);
        var before = await DefaultIdAsync();

        var result = await RunAsync("cert", "set-default", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(CliContext.Refused, result.ExitCode);
        Assert.Contains($"Certificate {id} cannot be served: the key stored with it does not match its public key.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await DefaultIdAsync());
    }
}
