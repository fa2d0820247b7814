using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Formats;

/// <summary>
/// Thousands of damaged variants of real files (bytes flipped, truncated, spliced): every parser must answer
/// with a result, never an exception. Seeded, so a failure reproduces.
/// </summary>
public class MutationFuzzTests
{
    private const int Iterations = 1500;

    private static readonly Lazy<IssuedCertificate> Leaf = new(() => TestPki.IssueServer(TestPki.Root, "nas1.home.arpa", "192.168.1.10"));

    public static TheoryData<string> Parsers() => ["certificate", "csr", "pkcs8", "pem-key", "pkcs7", "pkcs12", "zip"];

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_MutatedInput_NeverThrows(string parser)
    {
        var (seed, parse) = Subject(parser);
        var random = new Random(parser.GetHashCode(StringComparison.Ordinal) ^ 20261127);
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seed, random);
            try
            {
                parse(input);
            }
            catch (Exception e)
            {
                Assert.Fail($"{parser} threw {e.GetType().Name} ({e.Message}) on input {Convert.ToHexString(input)}");
            }
        }
    }

    [Fact]
    public void Certificate_DeeplyNestedExtension_RefusedWithoutStackOverflow()
    {
        var der = Leaf.Value.Certificate.ToDer();
        var nested = DeepSequence(100_000);

        var result = Certificate.FromDer([.. der[..^1], .. nested]);
        var asCertificate = Certificate.FromDer(nested);
        var asRequest = CertificateSigningRequest.FromDer(nested);
        var asKey = PrivateKey.FromPkcs8(nested);

        Assert.False(result.IsSuccess);
        Assert.False(asCertificate.IsSuccess);
        Assert.False(asRequest.IsSuccess);
        Assert.False(asKey.IsSuccess);
    }

    private static byte[] DeepSequence(int depth)
    {
        // 30 80 … 00 00: indefinite-length sequences, two bytes per level, so the file stays small.
        var bytes = new byte[depth * 4];
        for (var i = 0; i < depth; i++)
        {
            bytes[i * 2] = 0x30;
            bytes[(i * 2) + 1] = 0x80;
        }

        return bytes;
    }

    private static (byte[] Seed, Action<byte[]> Parse) Subject(string parser)
    {
        var leaf = Leaf.Value;
        return parser switch
        {
            "certificate" => (leaf.Certificate.ToDer(), d => Certificate.FromDer(d)),
            "csr" => (CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas2.home.arpa").Value, TestPki.Names("10.0.0.2"), leaf.Key!).Value.ToDer(),
                d => CertificateSigningRequest.FromDer(d)),
            "pkcs8" => (leaf.Key!.ExportPkcs8(), d => PrivateKeyReader.Read(d)),
            "pem-key" => (System.Text.Encoding.ASCII.GetBytes(PrivateKeyWriter.ToEncryptedPkcs8Pem(leaf.Key!, "secret")), d => PrivateKeyReader.Read(d, "secret")),
            "pkcs7" => (Pkcs7Writer.WriteDer(leaf.FullChain), d => Pkcs7Reader.ReadCertificates(d)),
            "pkcs12" => (Pkcs12Writer.Write(leaf.Certificate, leaf.Key!, leaf.Chain, "secret").Value, d => Pkcs12Reader.Read(d, "secret")),
            _ => (SynologyArchiveWriter.WriteCertificate(leaf.Certificate, leaf.Key!, leaf.Chain), d => SynologyArchiveReader.Read(d)),
        };
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                var at = random.Next(bytes.Length);
                var junk = new byte[random.Next(1, 16)];
                random.NextBytes(junk);
                return [.. bytes[..at], .. junk, .. bytes[at..]];
            default:
                var start = random.Next(bytes.Length);
                var length = random.Next(1, Math.Min(64, bytes.Length - start) + 1);
                var to = random.Next(bytes.Length);
                return [.. bytes[..to], .. bytes.AsSpan(start, length), .. bytes[to..]];
        }
    }
}
