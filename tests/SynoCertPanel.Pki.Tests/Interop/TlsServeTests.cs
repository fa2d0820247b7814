using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Interop;

/// <summary>One root and issuing CA for every served leaf, so the cost of CA keys is paid once.</summary>
public sealed class ServingChainFixture : IDisposable
{
    public ServingChainFixture()
    {
        Root = TestPki.CreateRoot("Serving Root", KeyAlgorithm.Rsa2048, allowIntermediates: true);
        var intermediate = new CertificateIssuer().CreateIntermediateCa(Root, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create("Serving Issuing CA", "Home Lab").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;
        IssuingCa = CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, intermediate.Chain).Value;
        RootFile = Directory.Write("root.pem", Root.Certificate.ToPem());
    }

    public TempDirectory Directory { get; } = new();

    public CertificateAuthority Root { get; }

    public CertificateAuthority IssuingCa { get; }

    public string RootFile { get; }

    public void Dispose() => Directory.Dispose();
}

public class TlsServeTests(ServingChainFixture chain) : IClassFixture<ServingChainFixture>
{
    private const string Host = "nas1.home.arpa";

    [Theory]
    [InlineData(KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.Rsa3072)]
    [InlineData(KeyAlgorithm.Rsa4096)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP384)]
    public void Serve_LeafWithChain_CurlTrustsItByNameAndIpOnlyWithRoot(KeyAlgorithm leafKey)
    {
        var leaf = new CertificateIssuer().IssueLeaf(chain.IssuingCa, new LeafOptions
        {
            Subject = DistinguishedName.Create(Host).Value,
            SubjectAlternativeNames = TestPki.Names("127.0.0.1"),
            KeyAlgorithm = leafKey,
        }).Value;
        var name = leafKey.ToShortName();
        var leafFile = chain.Directory.Write($"{name}-leaf.pem", leaf.Certificate.ToPem());
        var keyFile = chain.Directory.Write($"{name}-key.pem", Pem.Encode(Pem.PrivateKeyLabel, leaf.Key!.ExportPkcs8()));
        var chainFile = chain.Directory.Write($"{name}-chain.pem", chain.IssuingCa.Certificate.ToPem());

        using var server = TlsServer.Start(leafFile, keyFile, chainFile);
        var port = server.Port;

        var byName = Curl("--cacert", chain.RootFile, "--resolve", $"{Host}:{port}:127.0.0.1", $"https://{Host}:{port}/");
        Assert.True(byName.ExitCode == 0, $"{byName.All}\n{server.Log}");
        Assert.Contains("s_server", byName.Output, StringComparison.Ordinal);

        var byIp = Curl("--cacert", chain.RootFile, $"https://127.0.0.1:{port}/");
        Assert.True(byIp.ExitCode == 0, $"{byIp.All}\n{server.Log}");
        Assert.Contains("s_server", byIp.Output, StringComparison.Ordinal);

        var untrusted = Curl("--resolve", $"{Host}:{port}:127.0.0.1", $"https://{Host}:{port}/");
        Assert.Equal(60, untrusted.ExitCode);
        Assert.Contains("certificate", untrusted.Error, StringComparison.OrdinalIgnoreCase);

        var wrongName = Curl("--cacert", chain.RootFile, "--resolve", $"other.home.arpa:{port}:127.0.0.1", $"https://other.home.arpa:{port}/");
        Assert.Equal(60, wrongName.ExitCode);
        Assert.Contains("other.home.arpa", wrongName.Error, StringComparison.Ordinal);
    }

    private static Outcome Curl(params string[] arguments) =>
        ExternalTool.Run("curl", null, ["--silent", "--show-error", "--noproxy", "*", "--max-time", "10", .. arguments]);
}
