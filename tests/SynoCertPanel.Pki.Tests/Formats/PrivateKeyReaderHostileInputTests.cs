using System.Diagnostics;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Tests.Formats;

public class PrivateKeyReaderHostileInputTests
{
    private static readonly PrivateKey EcKey = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);

    public static TheoryData<string, byte[], ReadProblem> BadInputs()
    {
        var pem = PrivateKeyWriter.ToPkcs8Pem(EcKey);
        var der = EcKey.ExportPkcs8();
        return new()
        {
            { "empty", [], ReadProblem.Damaged },
            { "garbage bytes", [0x13, 0x37, 0x00, 0xFF, 0x42], ReadProblem.Damaged },
            { "garbage text", Encoding.ASCII.GetBytes("hello, this is not a key\n"), ReadProblem.Damaged },
            { "truncated PEM", Encoding.ASCII.GetBytes(pem[..(pem.Length / 2)]), ReadProblem.Damaged },
            { "truncated DER", der[..(der.Length - 10)], ReadProblem.Damaged },
            { "mismatched END label", Encoding.ASCII.GetBytes(pem.Replace("END PRIVATE KEY", "END RSA PRIVATE KEY", StringComparison.Ordinal)), ReadProblem.Damaged },
            { "bad base64", Encoding.ASCII.GetBytes(pem.Replace(pem.Split('\n')[1], "!!!!notbase64!!!!", StringComparison.Ordinal)), ReadProblem.Damaged },
            { "certificate instead of key", Encoding.ASCII.GetBytes(Support.TestPki.Root.Certificate.ToPem()), ReadProblem.Damaged },
            { "certificate DER instead of key", Support.TestPki.Root.Certificate.ToDer(), ReadProblem.Damaged },
            { "oversized file", new byte[PemReader.MaxInputBytes + 1], ReadProblem.LimitExceeded },
            { "oversized DER", [0x30, 0x82, 0x50, 0x00, .. new byte[0x5000]], ReadProblem.LimitExceeded },
            { "two keys", Encoding.ASCII.GetBytes(pem + pem), ReadProblem.Inconsistent },
            { "OpenSSH key", Encoding.ASCII.GetBytes("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"), ReadProblem.Unsupported },
            { "damaged PKCS#8 inside PEM", Encoding.ASCII.GetBytes(Pem.Encode(Pem.PrivateKeyLabel, [0x30, 0x03, 0x02, 0x01, 0x00])), ReadProblem.Damaged },
            { "legacy header with unknown cipher", Encoding.ASCII.GetBytes("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: BF-CBC,0102030405060708\n\nAAAAAAAAAAA=\n-----END RSA PRIVATE KEY-----\n"), ReadProblem.Unsupported },
            { "legacy header with damaged IV", Encoding.ASCII.GetBytes("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,XYZ\n\nAAAAAAAAAAA=\n-----END RSA PRIVATE KEY-----\n"), ReadProblem.Damaged },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Read_BadInput_FailsWithProblemAndMessage(string name, byte[] data, ReadProblem expected)
    {
        var result = PrivateKeyReader.Read(data, "some passphrase");

        Assert.False(result.IsSuccess, name);
        Assert.Equal(expected, result.Problem);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Read_DamagedRsaPrimes_IsDamagedNotAccepted()
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.Rsa2048);
        var pkcs1 = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(TraditionalKeys.Pkcs1From(key)));
        var fields = pkcs1.Cast<Asn1Encodable>().ToArray();
        fields[4] = new DerInteger(((DerInteger)fields[4]).Value.Add(Org.BouncyCastle.Math.BigInteger.Two));

        var result = PrivateKeyReader.ReadDer(new DerSequence(fields).GetDerEncoded());

        Assert.Equal(ReadProblem.Damaged, result.Problem);
        Assert.Contains("primes", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(PrivateKeyReader.MaxIterations + 1)]
    public void Read_Pbkdf2WithHugeIterationCount_RefusedBeforeDeriving(int iterations)
    {
        var pbkdf2 = new Pbkdf2Params(new byte[16], iterations, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance));
        var scheme = new AlgorithmIdentifier(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(new byte[16]));
        var pbes2 = new PbeS2Parameters(new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2, pbkdf2), new EncryptionScheme(scheme.Algorithm, scheme.Parameters));
        var der = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, pbes2), new byte[64]).GetDerEncoded();

        var clock = Stopwatch.StartNew();
        var result = PrivateKeyReader.Read(Encoding.ASCII.GetBytes(Pem.Encode(Pem.EncryptedPrivateKeyLabel, der)), "passphrase");

        Assert.Equal(ReadProblem.LimitExceeded, result.Problem);
        Assert.Contains("10,000,000", result.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Read_Pkcs12PbeWithHugeIterationCount_RefusedBeforeDeriving()
    {
        var parameters = new Pkcs12PbeParams(new byte[8], int.MaxValue);
        var der = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc, parameters), new byte[64]).GetDerEncoded();

        var clock = Stopwatch.StartNew();
        var result = PrivateKeyReader.ReadDer(der, "passphrase");

        Assert.Equal(ReadProblem.LimitExceeded, result.Problem);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Read_EncryptedWithUnknownScheme_IsUnsupported()
    {
        var der = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.PbeWithMD5AndDesCbc, new PbeParameter(new byte[8], 2048)), new byte[64]).GetDerEncoded();

        var result = PrivateKeyReader.ReadDer(der, "passphrase");

        Assert.Equal(ReadProblem.Unsupported, result.Problem);
        Assert.Contains("openssl pkcs8", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadResult_FailureWithoutProblem_IsABug()
    {
        Assert.Throws<ArgumentException>(() => ReadResult<int>.Failure(ReadProblem.None, "x"));
    }
}
