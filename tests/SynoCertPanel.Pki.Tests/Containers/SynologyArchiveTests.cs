using System.IO.Compression;
using System.Text;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;
using static SynoCertPanel.Pki.Tests.Containers.ContainerTestData;

namespace SynoCertPanel.Pki.Tests.Containers;

public class SynologyArchiveTests
{
    private static byte[] MakeZip(params (string Name, byte[] Data)[] files)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in files)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(data);
            }
        }

        return output.ToArray();
    }

    private static byte[] Text(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>A zip as Info-ZIP writes one on Unix: each entry's st_mode in the upper 16 bits of its external attributes.</summary>
    private static byte[] MakeUnixZip(params (string Name, int Mode, byte[] Data)[] files)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, mode, data) in files)
            {
                var entry = archive.CreateEntry(name);
                entry.ExternalAttributes = mode << 16;
                using var stream = entry.Open();
                stream.Write(data);
            }
        }

        return output.ToArray();
    }

    private const int RegularFile = 0x81A4; // S_IFREG | 0644

    private static (string, int, byte[])[] GoodExport() =>
    [
        ("cert.pem", RegularFile, Text(Leaf.Certificate.ToPem())),
        ("privkey.pem", RegularFile, Text(KeyPem(Leaf))),
    ];

    [Fact]
    public void Read_UnixModesOfPlainFilesAndFolders_Read()
    {
        var zip = MakeUnixZip([("export/", 0x41ED, []), .. GoodExport().Select(f => ("export/" + f.Item1, f.Item2, f.Item3))]);

        var result = SynologyArchiveReader.Read(zip);

        Assert.True(result.IsSuccess, result.Error);
    }

    [Theory]
    [InlineData(0xA1FF, "is a symbolic link")]
    [InlineData(0x21B6, "is a character device")]
    [InlineData(0x61B0, "is a block device")]
    [InlineData(0x11A4, "is a named pipe")]
    [InlineData(0xC1ED, "is a socket")]
    public void Read_SpecialEntryBesideAGoodExport_RefusedAsAWhole(int mode, string expected)
    {
        // The chain entry is a link to a file on the machine that made the zip: its data is only the target's path.
        var zip = MakeUnixZip([.. GoodExport(), ("chain.pem", mode, Text("/etc/ssl/certs/ca-certificates.crt"))]);

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.False(result.IsSuccess);
        Assert.StartsWith($"The zip entry \"chain.pem\" {expected}", result.Error, StringComparison.Ordinal);
        Assert.Contains("refused as a whole", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InfoZipArchiveStoringASymlink_Refused()
    {
        using var dir = new TempDirectory();
        dir.Write("cert.pem", Leaf.Certificate.ToPem());
        dir.Write("privkey.pem", KeyPem(Leaf));
        File.CreateSymbolicLink(dir.File("chain.pem"), dir.File("cert.pem"));
        var zipped = ExternalTool.Run("zip", null, "-q", "-j", "--symlinks", dir.File("archive.zip"), dir.File("cert.pem"), dir.File("privkey.pem"), dir.File("chain.pem"));
        Assert.True(zipped.ExitCode == 0, zipped.All);

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(File.ReadAllBytes(dir.File("archive.zip"))));

        Assert.Contains("\"chain.pem\" is a symbolic link", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SymlinkNamedAsTheCertificate_Refused()
    {
        var zip = MakeUnixZip(("cert.pem", 0xA1FF, Text("../../../etc/ssl/certs/server.pem")), ("privkey.pem", RegularFile, Text(KeyPem(Leaf))));

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("is a symbolic link", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TraversalEntryBesideAGoodExport_RefusedAsAWhole()
    {
        var zip = MakeUnixZip([.. GoodExport(), ("../../.ssh/authorized_keys", RegularFile, Text("ssh-ed25519 AAAA"))]);

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("climbs out", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteCertificate_ThenRead_ReturnsLeafKeyChainAndCaKey()
    {
        var zip = SynologyArchiveWriter.WriteCertificate(Leaf.Certificate, Leaf.Key!, Leaf.Chain, TestPki.Root.Key);

        var result = SynologyArchiveReader.Read(zip);

        Assert.True(result.IsSuccess, result.Error);
        var archive = Assert.IsType<SynologyCertificateArchive>(result.Value);
        Assert.Equal(Leaf.Certificate, archive.Leaf);
        Assert.True(archive.Leaf.Matches(archive.Key));
        Assert.Equal(Leaf.Chain, archive.Chain);
        Assert.True(TestPki.Root.Certificate.Matches(archive.CaKey!));
        using var read = new ZipArchive(new MemoryStream(zip));
        Assert.Equal(["cert.pem", "privkey.pem", "syno-ca-cert.pem", "syno-ca-privkey.pem"], read.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void WriteRequest_ThenRead_ReturnsRequestAndKey()
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var request = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas2.home.arpa").Value, TestPki.Names("nas2.home.arpa"), key).Value;

        var result = SynologyArchiveReader.Read(SynologyArchiveWriter.WriteRequest(request, key));

        Assert.True(result.IsSuccess, result.Error);
        var archive = Assert.IsType<SynologyRequestArchive>(result.Value);
        Assert.Equal(request.ToDer(), archive.Request.ToDer());
        Assert.True(archive.Key.MatchesPublicKey(archive.Request.SubjectPublicKeyInfo.Span));
    }

    [Fact]
    public void Read_CertbotLayoutWithLegacyEcKey_ReturnsLeafAndChain()
    {
        using var dir = new TempDirectory();
        var key = dir.Write("key.pem", KeyPem(Leaf));
        var ecKey = OpenSsl.Run("ec", "-in", key);
        Assert.Contains("BEGIN EC PRIVATE KEY", ecKey.Output, StringComparison.Ordinal);
        var fullChain = string.Concat(Leaf.FullChain.Select(c => c.ToPem()));

        var result = SynologyArchiveReader.Read(MakeZip(("live/fullchain.pem", Text(fullChain)), ("live/privkey.pem", Text(ecKey.Output)),
            ("live/README", Text("certbot"))));

        Assert.True(result.IsSuccess, result.Error);
        var archive = Assert.IsType<SynologyCertificateArchive>(result.Value);
        Assert.Equal(Leaf.Certificate, archive.Leaf);
        Assert.Equal(Leaf.Chain, archive.Chain);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void Read_KeyOfAnotherCertificate_Refused()
    {
        var other = TestPki.IssueServer(TestPki.Root, "other.home.arpa", "other.home.arpa");
        var zip = MakeZip(("cert.pem", Text(Leaf.Certificate.ToPem())), ("privkey.pem", Text(KeyPem(other))));

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("is not the key", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd", "climbs out")]
    [InlineData("/abs/cert.pem", "absolute")]
    [InlineData("C:/cert.pem", "absolute")]
    [InlineData("certs\\cert.pem", "backslash")]
    public void Read_HostileEntryName_Refused(string name, string expected)
    {
        var zip = MakeZip((name, Text(Leaf.Certificate.ToPem())));

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateNames_Refused()
    {
        var zip = MakeZip(("cert.pem", Text(Leaf.Certificate.ToPem())), ("a/CERT.pem", Text(Leaf.Certificate.ToPem())));

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("more than once", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DirectoriesOnly_Refused()
    {
        var zip = MakeZip(("a/", []), ("a/b/", []));

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("no files", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooManyEntries_Refused()
    {
        var zip = MakeZip([.. Enumerable.Range(0, 40).Select(i => ($"f{i}.pem", Text("x")))]);

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("entries", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ZipBombDeclaredSmall_RefusedOnInflatedBytes()
    {
        var zip = MakeZip(("cert.pem", new byte[50 * 1024 * 1024]));
        // Declare 100 bytes uncompressed in the local header (offset 22) and the central directory entry (offset 24).
        var central = zip.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
        BitConverter.TryWriteBytes(zip.AsSpan(22, 4), 100);
        BitConverter.TryWriteBytes(zip.AsSpan(central + 24, 4), 100);

        // .NET stops inflating at the declared size, so the 50 MB never reach memory: the answer is about content.
        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("not a certificate export", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ZipBombDeclaredHonestly_RefusedOnInflatedBytes()
    {
        var zip = MakeZip(("cert.pem", new byte[50 * 1024 * 1024]));

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("inflates to more than", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EncryptedEntry_Refused()
    {
        var zip = MakeZip(("cert.pem", Text(Leaf.Certificate.ToPem())));
        // General-purpose flag bit 0 marks an encrypted entry, in the local and central headers.
        var central = zip.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
        zip[6] |= 1;
        zip[central + 8] |= 1;

        var result = AnswersQuickly(() => SynologyArchiveReader.Read(zip));

        Assert.Contains("encrypted", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> BadInputs() => new()
    {
        { "empty", [] },
        { "garbage", Text("PK this is not really a zip file at all") },
        { "truncated", SynologyArchiveWriter.WriteCertificate(Leaf.Certificate, Leaf.Key!, Leaf.Chain)[..300] },
        { "oversized", new byte[(1024 * 1024) + 1] },
        { "not a certificate export", MakeZip(("notes.txt", Text("hello"))) },
        { "pem damaged", MakeZip(("cert.pem", Text("-----BEGIN CERTIFICATE-----\nAAAA\n")), ("privkey.pem", Text(KeyPem(Leaf)))) },
        { "encrypted key", MakeZip(("cert.pem", Text(Leaf.Certificate.ToPem())), ("privkey.pem", Text(Pem.Encode(Pem.EncryptedPrivateKeyLabel, [0x30, 0x00])))) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Read_BadInput_AnswersWithMessage(string kind, byte[] data)
    {
        var result = AnswersQuickly(() => SynologyArchiveReader.Read(data));

        Assert.False(string.IsNullOrEmpty(kind + result.Error));
    }
}
