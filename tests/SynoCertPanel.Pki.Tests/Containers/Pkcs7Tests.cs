using System.Text;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Tests.Support;
using static SynoCertPanel.Pki.Tests.Containers.ContainerTestData;

namespace SynoCertPanel.Pki.Tests.Containers;

public class Pkcs7Tests
{
    [Theory]
    [InlineData("PEM")]
    [InlineData("DER")]
    public void ReadCertificates_OpenSslCrl2Pkcs7_ReturnsChainInOrder(string format)
    {
        using var dir = new TempDirectory();
        var (cert, _, chain) = WritePemFiles(dir, Leaf);
        var output = OpenSsl.Run("crl2pkcs7", "-nocrl", "-certfile", cert, "-certfile", chain, "-outform", format, "-out", dir.File("out.p7b"));
        Assert.True(output.ExitCode == 0, output.All);

        var result = Pkcs7Reader.ReadCertificates(File.ReadAllBytes(dir.File("out.p7b")));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Leaf.FullChain, result.Value);
    }

    [Fact]
    public void WritePem_ReadByOpenSslPrintCerts_ListsChainInOrder()
    {
        var pem = Pkcs7Writer.WritePem(Leaf.FullChain);

        var outcome = OpenSsl.Run(Encoding.ASCII.GetBytes(pem), "pkcs7", "-print_certs", "-noout");

        Assert.True(outcome.ExitCode == 0, outcome.All);
        var leafAt = outcome.Output.IndexOf("subject=CN = nas.home.arpa", StringComparison.Ordinal);
        var rootAt = outcome.Output.IndexOf("subject=O = Home Lab, CN = SynoCertPanel Test Root", StringComparison.Ordinal);
        Assert.True(leafAt >= 0 && rootAt > leafAt, outcome.Output);
    }

    [Fact]
    public void WriteDer_ThenRead_ReturnsSameCertificates()
    {
        var result = Pkcs7Reader.ReadCertificates(Pkcs7Writer.WriteDer(Leaf.FullChain));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Leaf.FullChain, result.Value);
    }

    public static TheoryData<string, byte[]> BadInputs() => new()
    {
        { "empty", [] },
        { "garbage", Encoding.ASCII.GetBytes("this is not a certificate bundle") },
        { "truncated", Pkcs7Writer.WriteDer(Leaf.FullChain)[..200] },
        { "oversized", new byte[Pkcs7Reader.MaxInputBytes + 1] },
        { "deeply nested", DeepNesting(60_000) },
        { "pem of another kind", Encoding.ASCII.GetBytes(Leaf.Certificate.ToPem()) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void ReadCertificates_BadInput_AnswersWithMessage(string kind, byte[] data)
    {
        var result = AnswersQuickly(() => Pkcs7Reader.ReadCertificates(data));

        Assert.False(string.IsNullOrEmpty(kind + result.Error));
    }

    /// <summary>SEQUENCEs of indefinite length nested <paramref name="depth"/> deep, 2 bytes a level, then zeros.</summary>
    private static byte[] DeepNesting(int depth)
    {
        var bytes = new byte[depth * 4];
        for (var i = 0; i < depth; i++)
        {
            bytes[i * 2] = 0x30;
            bytes[(i * 2) + 1] = 0x80;
        }

        return bytes;
    }
}
