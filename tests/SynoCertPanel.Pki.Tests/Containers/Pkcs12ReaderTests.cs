using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Tests.Support;
using static SynoCertPanel.Pki.Tests.Containers.ContainerTestData;

namespace SynoCertPanel.Pki.Tests.Containers;

public class Pkcs12ReaderTests
{
    private static byte[] OpenSslExport(params string[] extra)
    {
        using var dir = new TempDirectory();
        var (cert, key, _) = WritePemFiles(dir, Leaf);
        var output = dir.File("out.pfx");
        var outcome = OpenSsl.Run(["pkcs12", "-export", "-in", cert, "-inkey", key, "-out", output, .. extra]);
        Assert.True(outcome.ExitCode == 0, outcome.All);
        return File.ReadAllBytes(output);
    }

    [Fact]
    public void Read_OpenSslDefaultExport_ReturnsLeafAndMatchingKey()
    {
        var result = Pkcs12Reader.Read(OpenSslExport("-passout", "pass:secret"), "secret");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Leaf.Certificate, result.Value.Leaf);
        Assert.True(result.Value.Leaf.Matches(result.Value.Key));
        Assert.Equal(KeyAlgorithm.EcdsaP256, result.Value.Key.Algorithm);
        Assert.Empty(result.Value.Chain);
    }

    [Fact]
    public void Read_OpenSslLegacyExportWithChain_ReturnsChain()
    {
        using var dir = new TempDirectory();
        var chain = dir.Write("ca.pem", TestPki.Root.Certificate.ToPem());
        var result = Pkcs12Reader.Read(OpenSslExport("-legacy", "-certfile", chain, "-passout", "pass:secret"), "secret");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Leaf.Certificate, result.Value.Leaf);
        Assert.Equal([TestPki.Root.Certificate], result.Value.Chain);
    }

    [Fact]
    public void Read_OpenSslNoMac_ReturnsLeaf()
    {
        var result = Pkcs12Reader.Read(OpenSslExport("-nomac", "-passout", "pass:secret"), "secret");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Leaf.Certificate, result.Value.Leaf);
    }

    [Fact]
    public void Read_NoPasswordGivenForProtectedFile_SaysPasswordRequired()
    {
        var result = AnswersQuickly(() => Pkcs12Reader.Read(OpenSslExport("-passout", "pass:secret"), null));

        Assert.Equal(Pkcs12Reader.PasswordRequiredMessage, result.Error);
    }

    [Fact]
    public void Read_WrongPassword_SaysWrongPassword()
    {
        var result = AnswersQuickly(() => Pkcs12Reader.Read(OpenSslExport("-passout", "pass:secret"), "guess"));

        Assert.Equal(Pkcs12Reader.WrongPasswordMessage, result.Error);
    }

    [Fact]
    public void Read_EmptyPasswordFileWithPasswordGiven_OpensWithWarning()
    {
        var result = Pkcs12Reader.Read(OpenSslExport("-passout", "pass:"), "unneeded");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Contains(result.Warnings, w => w.Contains("no password", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_KeyOnlyFile_SaysKeyMatchesNoCertificate()
    {
        using var dir = new TempDirectory();
        var key = dir.Write("key.pem", KeyPem(Leaf));
        var output = dir.File("key.pfx");
        Assert.Equal(0, OpenSsl.Run("pkcs12", "-export", "-nocerts", "-inkey", key, "-out", output, "-passout", "pass:pw").ExitCode);

        var result = AnswersQuickly(() => Pkcs12Reader.Read(File.ReadAllBytes(output), "pw"));

        Assert.Contains("matches none", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CertificatesOnly_SaysNoPrivateKey()
    {
        var result = AnswersQuickly(() => Pkcs12Reader.Read(OpenSslExport("-nokeys", "-passout", "pass:pw"), "pw"));

        Assert.Contains("no private key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MacIterationCountPatchedToMaximum_RefusedQuickly()
    {
        var pfx = Pfx.GetInstance(Asn1Object.FromByteArray(OpenSslExport("-passout", "pass:pw")));
        var mac = pfx.MacData;
        var hostile = new Pfx(pfx.AuthSafe, new MacData(mac.Mac, mac.GetSalt(), int.MaxValue)).GetEncoded(Asn1Encodable.Der);

        var result = AnswersQuickly(() => Pkcs12Reader.Read(hostile, "pw"));

        Assert.Contains("iteration", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BagIterationCountsPatchedHuge_RefusedQuickly()
    {
        // 65,536 is encoded 02 03 01 00 00; 0x7FFFFF keeps the length, so no enclosing length changes.
        var bytes = OpenSslExport("-nomac", "-iter", "65536", "-passout", "pass:pw");
        var patched = Patch(bytes, [0x02, 0x03, 0x01, 0x00, 0x00], [0x02, 0x03, 0x7F, 0xFF, 0xFF]);

        var result = AnswersQuickly(() => Pkcs12Reader.Read(patched, "pw"));

        Assert.Contains("iteration", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    public void Read_TruncatedFile_AnswersWithMessage(int keep)
    {
        var bytes = OpenSslExport("-passout", "pass:pw");

        AnswersQuickly(() => Pkcs12Reader.Read(bytes.AsSpan(0, Math.Min(keep, bytes.Length)), "pw"));
    }

    [Fact]
    public void Read_Garbage_SaysNotPkcs12()
    {
        var garbage = new byte[2000];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0x30;

        var result = AnswersQuickly(() => Pkcs12Reader.Read(garbage, "pw"));

        Assert.Contains("not a PKCS#12", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Oversized_RefusedBeforeParsing()
    {
        var result = AnswersQuickly(() => Pkcs12Reader.Read(new byte[Pkcs12Reader.MaxInputBytes + 1], "pw"));

        Assert.Contains("KiB", result.Error, StringComparison.Ordinal);
    }

    private static byte[] Patch(byte[] data, byte[] find, byte[] replace)
    {
        var copy = (byte[])data.Clone();
        var count = 0;
        for (var i = 0; i + find.Length <= copy.Length; i++)
        {
            if (copy.AsSpan(i, find.Length).SequenceEqual(find))
            {
                replace.CopyTo(copy, i);
                count++;
            }
        }

        Assert.True(count >= 2, "expected the key and certificate iteration counts");
        return copy;
    }
}
