using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Formats;

public class PrivateKeyWriterOpenSslTests(OpenSslKeys keys) : IClassFixture<OpenSslKeys>
{
    public static TheoryData<KeyAlgorithm, string> Forms()
    {
        var data = new TheoryData<KeyAlgorithm, string>();
        foreach (var algorithm in new[] { KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384 })
        {
            foreach (var form in new[] { "pkcs8-pem", "pkcs8-der", "encrypted", "traditional" })
            {
                data.Add(algorithm, form);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Write_AnyForm_PassesOpenSslCheckAndRoundTrips(KeyAlgorithm algorithm, string form)
    {
        var key = KeyGenerator.Generate(algorithm);
        const string pass = "s3cret passphrase";
        byte[] data = form switch
        {
            "pkcs8-pem" => System.Text.Encoding.ASCII.GetBytes(PrivateKeyWriter.ToPkcs8Pem(key)),
            "pkcs8-der" => PrivateKeyWriter.ToPkcs8Der(key),
            "encrypted" => System.Text.Encoding.ASCII.GetBytes(PrivateKeyWriter.ToEncryptedPkcs8Pem(key, pass)),
            _ => System.Text.Encoding.ASCII.GetBytes(PrivateKeyWriter.ToTraditionalPem(key)),
        };
        var file = keys.Directory.Write($"{algorithm}-{form}", data);
        string[] passIn = form == "encrypted" ? ["-passin", $"pass:{pass}"] : ["-passin", "pass:unused"];
        string[] inForm = form == "pkcs8-der" ? ["-inform", "DER"] : [];
        var tool = form == "traditional" ? (algorithm.IsRsa() ? "rsa" : "ec") : "pkey";

        var check = OpenSsl.Run([tool, "-in", file, .. inForm, .. passIn, "-check", "-noout"]);

        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains(tool == "rsa" ? "RSA key ok" : "valid", check.All, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(key.SubjectPublicKeyInfo.ToArray(), keys.PublicKeyOf(file, form == "encrypted" ? pass : null));
        var back = PrivateKeyReader.Read(data, form == "encrypted" ? pass : null);
        Assert.True(back.IsSuccess, back.ToString());
        Assert.Equal(key.SubjectPublicKeyInfo.ToArray(), back.Value.SubjectPublicKeyInfo.ToArray());
        Assert.Equal(key.Algorithm, back.Value.Algorithm);
    }

    [Fact]
    public void ToEncryptedPkcs8Pem_OpenSslSeesPbes2Aes256Sha256()
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var file = keys.Directory.Write("enc.pem", PrivateKeyWriter.ToEncryptedPkcs8Pem(key, "pw"));

        var parsed = OpenSsl.Run("asn1parse", "-in", file);

        Assert.Equal(0, parsed.ExitCode);
        Assert.Contains("PBES2", parsed.Output, StringComparison.Ordinal);
        Assert.Contains("hmacWithSHA256", parsed.Output, StringComparison.Ordinal);
        Assert.Contains("aes-256-cbc", parsed.Output, StringComparison.Ordinal);
        Assert.Contains($"{PrivateKeyWriter.EncryptionIterations:X}", parsed.Output.Replace(":", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void ToSec1Pem_RsaKey_IsABug()
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.Rsa2048);

        Assert.ThrowsAny<ArgumentException>(() => PrivateKeyWriter.ToSec1Pem(key));
        Assert.ThrowsAny<ArgumentException>(() => PrivateKeyWriter.ToEncryptedPkcs8Pem(key, ""));
    }
}
