using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Formats;

public class PrivateKeyReaderOpenSslTests(OpenSslKeys keys) : IClassFixture<OpenSslKeys>
{
    private const string Pass = OpenSslKeys.Passphrase;

    public static TheoryData<string, string[], bool> Conversions() => new()
    {
        { "rsa", ["pkey", "-in", "{base}"], false },
        { "rsa", ["pkey", "-in", "{base}", "-outform", "DER"], false },
        { "rsa", ["rsa", "-in", "{base}", "-traditional"], false },
        { "rsa", ["rsa", "-in", "{base}", "-traditional", "-outform", "DER"], false },
        { "rsa", ["pkcs8", "-topk8", "-in", "{base}", "-v2", "aes-256-cbc", "-passout", $"pass:{Pass}"], true },
        { "rsa", ["pkcs8", "-topk8", "-in", "{base}", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1", "-passout", $"pass:{Pass}"], true },
        { "rsa", ["pkcs8", "-topk8", "-in", "{base}", "-v2", "des3", "-passout", $"pass:{Pass}", "-outform", "DER"], true },
        { "rsa", ["pkcs8", "-topk8", "-in", "{base}", "-v1", "PBE-SHA1-3DES", "-passout", $"pass:{Pass}"], true },
        { "rsa", ["rsa", "-in", "{base}", "-aes128", "-traditional", "-passout", $"pass:{Pass}"], true },
        { "rsa", ["rsa", "-in", "{base}", "-aes256", "-traditional", "-passout", $"pass:{Pass}"], true },
        { "rsa", ["rsa", "-in", "{base}", "-des3", "-traditional", "-passout", $"pass:{Pass}"], true },
        { "ec", ["pkey", "-in", "{base}"], false },
        { "ec", ["pkey", "-in", "{base}", "-outform", "DER"], false },
        { "ec", ["ec", "-in", "{base}"], false },
        { "ec", ["ec", "-in", "{base}", "-outform", "DER"], false },
        { "ec", ["ec", "-in", "{base}", "-aes256", "-passout", $"pass:{Pass}"], true },
        { "ec", ["pkcs8", "-topk8", "-in", "{base}", "-v2", "aes-256-cbc", "-passout", $"pass:{Pass}"], true },
        { "ec", ["pkcs8", "-topk8", "-in", "{base}", "-v1", "PBE-SHA1-3DES", "-passout", $"pass:{Pass}", "-outform", "DER"], true },
    };

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Read_OpenSslConvertedKey_MatchesOpenSslPublicKey(string type, string[] command, bool encrypted)
    {
        var source = type == "rsa" ? keys.RsaBase : keys.EcBase;
        var file = keys.Make([.. command.Select(a => a == "{base}" ? source : a)]);

        var key = PrivateKeyReader.Read(File.ReadAllBytes(file), encrypted ? Pass : null);

        Assert.True(key.IsSuccess, key.ToString());
        Assert.Equal(type == "rsa" ? KeyAlgorithm.Rsa2048 : KeyAlgorithm.EcdsaP256, key.Value.Algorithm);
        Assert.Equal(keys.PublicKeyOf(source), key.Value.SubjectPublicKeyInfo.ToArray());
    }

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Read_EncryptedKeyWithoutOrWithWrongPassphrase_SaysWhichProblem(string type, string[] command, bool encrypted)
    {
        var source = type == "rsa" ? keys.RsaBase : keys.EcBase;
        var data = File.ReadAllBytes(keys.Make([.. command.Select(a => a == "{base}" ? source : a)]));

        var withoutPassphrase = PrivateKeyReader.Read(data);
        var wrongPassphrase = PrivateKeyReader.Read(data, "wrong horse");

        if (encrypted)
        {
            Assert.Equal(ReadProblem.PassphraseRequired, withoutPassphrase.Problem);
            Assert.Equal(ReadProblem.WrongPassphrase, wrongPassphrase.Problem);
            Assert.Contains("passphrase", wrongPassphrase.Error, StringComparison.Ordinal);
        }
        else
        {
            // A passphrase given for a plain key is ignored rather than refused: the form may keep it filled.
            Assert.True(withoutPassphrase.IsSuccess, withoutPassphrase.ToString());
            Assert.True(wrongPassphrase.IsSuccess, wrongPassphrase.ToString());
        }
    }

    [Theory]
    [InlineData("prime256v1", KeyAlgorithm.EcdsaP256)]
    [InlineData("secp384r1", KeyAlgorithm.EcdsaP384)]
    public void Read_EcparamGenkeyWithParametersBlock_ReadsKey(string curve, KeyAlgorithm expected)
    {
        var file = keys.Make("ecparam", "-genkey", "-name", curve);
        Assert.Contains("BEGIN EC PARAMETERS", File.ReadAllText(file), StringComparison.Ordinal);

        var key = PrivateKeyReader.Read(File.ReadAllBytes(file));

        Assert.True(key.IsSuccess, key.ToString());
        Assert.Equal(expected, key.Value.Algorithm);
        Assert.Equal(keys.PublicKeyOf(file), key.Value.SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public void Read_LegacyGenrsaAes256_ReadsWithPassphrase()
    {
        var file = keys.Make("genrsa", "-aes256", "-traditional", "-passout", $"pass:{Pass}", "3072");
        Assert.Contains("DEK-Info: AES-256-CBC", File.ReadAllText(file), StringComparison.Ordinal);

        var key = PrivateKeyReader.Read(File.ReadAllBytes(file), Pass);

        Assert.True(key.IsSuccess, key.ToString());
        Assert.Equal(KeyAlgorithm.Rsa3072, key.Value.Algorithm);
        Assert.Equal(keys.PublicKeyOf(file, Pass), key.Value.SubjectPublicKeyInfo.ToArray());
    }

    [Theory]
    [InlineData("crlf")]
    [InlineData("bom")]
    [InlineData("bag")]
    public void Read_TextVariants_ReadsKey(string variant)
    {
        var text = File.ReadAllText(keys.EcBase);
        var data = variant switch
        {
            "crlf" => System.Text.Encoding.ASCII.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)),
            "bom" => [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.ASCII.GetBytes(text)],
            _ => System.Text.Encoding.ASCII.GetBytes("Bag Attributes\n    localKeyID: 01 02 03\n    friendlyName: nas\nKey Attributes: <No Attributes>\n" + text),
        };

        var key = PrivateKeyReader.Read(data);

        Assert.True(key.IsSuccess, key.ToString());
        Assert.Equal(keys.PublicKeyOf(keys.EcBase), key.Value.SubjectPublicKeyInfo.ToArray());
    }

    [Theory]
    [InlineData("ed25519", "genpkey", "-algorithm", "ed25519")]
    [InlineData("rsa1024", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024")]
    [InlineData("secp256k1", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1")]
    [InlineData("dsa", "dsaparam", "-genkey", "1024")]
    public void Read_KeyTypeBrowsersRefuse_IsUnsupportedWithMessage(string name, params string[] command)
    {
        var file = keys.Make(command);

        var key = PrivateKeyReader.Read(File.ReadAllBytes(file));

        Assert.Equal(ReadProblem.Unsupported, key.Problem);
        Assert.False(string.IsNullOrWhiteSpace(key.Error), name);
    }

    [Fact]
    public void Read_DsaKeyAsPkcs8_IsUnsupportedNamingDsa()
    {
        var traditional = keys.Make("dsaparam", "-genkey", "1024");
        var pkcs8 = keys.Make("pkey", "-in", traditional);

        var key = PrivateKeyReader.Read(File.ReadAllBytes(pkcs8));

        Assert.Equal(ReadProblem.Unsupported, key.Problem);
        Assert.Contains("DSA", key.Error, StringComparison.Ordinal);
    }
}
