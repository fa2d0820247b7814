using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Web.Tests.Listener;

public sealed class ApplyTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("synocert-apply-").FullName;
    private RunningPanel _panel = null!;

    public enum BadCertificate
    {
        Expired,
        NoKey,
        CaCertificate,
        ClientAuthOnly,
        NameNotCovered,
    }

    public async Task InitializeAsync() => _panel = await RunningPanel.StartAsync(_data);

    public async Task DisposeAsync()
    {
        await _panel.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Apply_ValidCertificate_NewHandshakesGetItWithoutRestart()
    {
        var before = await _panel.HandshakeThumbprintAsync();
        var created = await _panel.CreateServerCertificateAsync("localhost", "127.0.0.1");

        var applied = await _panel.Listener.ApplyAsync(created.CertificateId, "127.0.0.1", confirmed: false, "test");

        Assert.True(applied.IsSuccess, applied.Error);
        Assert.NotEqual(before, applied.Value.Thumbprint);
        Assert.Equal(applied.Value.Thumbprint, await _panel.HandshakeThumbprintAsync());
        Assert.Equal(applied.Value.Thumbprint, _panel.OpenSslThumbprint());
        var storage = await _panel.OpenSecondStorageAsync();
        await using var db = storage.CreateContext();
        Assert.Equal(created.CertificateId, await DefaultCertificate.GetAsync(db));
    }

    [Fact]
    public async Task Apply_ConnectionOpenedBefore_KeepsAnsweringOnTheOldCertificate()
    {
        await using var connection = await _panel.OpenKeepAliveAsync();
        var first = await connection.GetHealthAsync();
        var created = await _panel.CreateServerCertificateAsync("localhost", "127.0.0.1");

        var applied = await _panel.Listener.ApplyAsync(created.CertificateId, "localhost", confirmed: false, "test");
        var second = await connection.GetHealthAsync();

        Assert.True(applied.IsSuccess, applied.Error);
        Assert.Equal("HTTP/1.1 200 OK ok", first);
        Assert.Equal("HTTP/1.1 200 OK ok", second);
        Assert.NotEqual(applied.Value.Thumbprint, connection.Thumbprint);
        Assert.Equal(applied.Value.Thumbprint, await _panel.HandshakeThumbprintAsync());
    }

    [Theory]
    [InlineData(BadCertificate.Expired, "not valid now")]
    [InlineData(BadCertificate.NoKey, "private key is not held here")]
    [InlineData(BadCertificate.CaCertificate, "CA certificate")]
    [InlineData(BadCertificate.ClientAuthOnly, "lacks serverAuth")]
    [InlineData(BadCertificate.NameNotCovered, "Confirm to apply it anyway")]
    public async Task Apply_BadCertificate_RefusedAndTheOldOneKeepsBeingServed(BadCertificate kind, string expected)
    {
        var before = await _panel.HandshakeThumbprintAsync();
        var id = await CreateAsync(kind);

        var applied = await _panel.Listener.ApplyAsync(id, "127.0.0.1", confirmed: false, "test");

        Assert.False(applied.IsSuccess);
        Assert.Contains(expected, applied.Error, StringComparison.Ordinal);
        Assert.Equal(before, await _panel.HandshakeThumbprintAsync());
        Assert.Equal(before, _panel.OpenSslThumbprint());
        var storage = await _panel.OpenSecondStorageAsync();
        await using var db = storage.CreateContext();
        Assert.Equal(_panel.Served.CertificateId, await DefaultCertificate.GetAsync(db));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.SetDefault && e.Outcome == AuditOutcome.Refused));
    }

    [Fact]
    public async Task Apply_NameNotCoveredButConfirmed_Applies()
    {
        var created = await _panel.CreateServerCertificateAsync("nas.home.arpa");

        var applied = await _panel.Listener.ApplyAsync(created.CertificateId, "127.0.0.1", confirmed: true, "test");

        Assert.True(applied.IsSuccess, applied.Error);
        Assert.Equal(applied.Value.Thumbprint, await _panel.HandshakeThumbprintAsync());
    }

    [Fact]
    public async Task Apply_IssuedUnderAnIntermediate_SendsTheIntermediateButNotTheRoot()
    {
        var storage = await _panel.OpenSecondStorageAsync();
        var authorities = new AuthorityService(storage, _panel.Clock);
        var root = await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Chain Test Root").Value,
            KeyAlgorithm = KeyAlgorithm.Rsa2048,
            AllowIntermediates = true,
        }, "test");
        Assert.True(root.IsSuccess, root.Error);
        var intermediate = await authorities.CreateIntermediateAsync(root.Value.Id,
            new IntermediateCaOptions { Subject = DistinguishedName.Create("Chain Test Issuing CA").Value }, "test");
        Assert.True(intermediate.IsSuccess, intermediate.Error);
        var leaf = await authorities.IssueAsync(intermediate.Value.Id, new LeafOptions
        {
            Subject = DistinguishedName.Create("localhost").Value,
            SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "under an intermediate", setAsDefault: false, "test");
        Assert.True(leaf.IsSuccess, leaf.Error);

        var applied = await _panel.Listener.ApplyAsync(leaf.Value, "127.0.0.1", confirmed: false, "test");

        Assert.True(applied.IsSuccess, applied.Error);
        var sent = RunningPanel.Run("sh", "-c",
            $"openssl s_client -connect 127.0.0.1:{_panel.Endpoint.Port} -servername localhost -showcerts </dev/null 2>/dev/null | grep '^ *[0-9] s:'").Output;
        var subjects = sent.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()).ToList();
        Assert.Equal(2, subjects.Count);
        Assert.Contains("localhost", subjects[0], StringComparison.Ordinal);
        Assert.Contains("Chain Test Issuing CA", subjects[1], StringComparison.Ordinal);
        // The root is stored with the leaf, and left out of the handshake.
        Assert.Equal(["Chain Test Issuing CA", "Chain Test Root"], _panel.Served.Chain.Select(c => c.Subject.CommonName));
    }

    private async Task<int> CreateAsync(BadCertificate kind)
    {
        var storage = await _panel.OpenSecondStorageAsync();
        switch (kind)
        {
            case BadCertificate.Expired:
                var shortLived = await new SelfSignedService(storage, _panel.Clock).CreateAsync(new SelfSignedRequest
                {
                    Root = new RootCaOptions { Subject = DistinguishedName.Create("Test Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
                    Server = new LeafOptions
                    {
                        Subject = DistinguishedName.Create("localhost").Value,
                        SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
                        KeyAlgorithm = KeyAlgorithm.EcdsaP256,
                        ValidityDays = 1,
                    },
                    SetAsDefault = false,
                }, "test");
                _panel.Clock.Offset = TimeSpan.FromDays(3);
                return shortLived.Value.CertificateId;
            case BadCertificate.NoKey:
                var authority = await _panel.CreateServerCertificateAsync("unused.home.arpa");
                var request = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("localhost").Value,
                    SanParser.ParseAll(["localhost", "127.0.0.1"]).Value, KeyGenerator.Generate(KeyAlgorithm.EcdsaP256)).Value;
                var signed = await new SigningService(storage, _panel.Clock).SignAsync(authority.AuthorityId, request, new SignRequestOptions(), "from another box", "test");
                return signed.Value.CertificateId;
            case BadCertificate.CaCertificate:
                return (await _panel.CreateServerCertificateAsync("localhost", "127.0.0.1")).AuthorityCertificateId;
            case BadCertificate.ClientAuthOnly:
                var root = await _panel.CreateServerCertificateAsync("unused.home.arpa");
                var issued = await new AuthorityService(storage, _panel.Clock).IssueAsync(root.AuthorityId, new LeafOptions
                {
                    Subject = DistinguishedName.Create("localhost").Value,
                    SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
                    KeyAlgorithm = KeyAlgorithm.EcdsaP256,
                    Profile = CertificateProfile.TlsClient,
                }, "client only", setAsDefault: false, "test");
                Assert.True(issued.IsSuccess, issued.Error);
                return issued.Value;
            default:
                return (await _panel.CreateServerCertificateAsync("nas.home.arpa")).CertificateId;
        }
    }
}
