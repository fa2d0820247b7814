namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>
/// Keys made by the real openssl at test time, converted with openssl's own commands, so the reader is
/// checked against what people's files actually contain. One RSA and one P-256 base key per fixture.
/// </summary>
public sealed class OpenSslKeys : IDisposable
{
    public const string Passphrase = "correct horse";

    private readonly TempDirectory _dir = new();
    private int _counter;

    public OpenSslKeys()
    {
        RsaBase = Make("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        EcBase = Make("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    }

    public string RsaBase { get; }

    public string EcBase { get; }

    public TempDirectory Directory => _dir;

    /// <summary>Runs openssl writing to a new FILE and returns FILE's path; fails the test if openssl fails.</summary>
    public string Make(params string[] arguments)
    {
        var path = _dir.File($"key{Interlocked.Increment(ref _counter)}");
        // "-out" right after the command: genrsa and dsaparam want their size argument last.
        var outcome = OpenSsl.Run([arguments[0], "-out", path, .. arguments[1..]]);
        Assert.True(outcome.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {outcome.All}");
        return path;
    }

    /// <summary>The SubjectPublicKeyInfo DER openssl derives from a key file.</summary>
    public byte[] PublicKeyOf(string keyFile, string? passphrase = null)
    {
        string[] pass = passphrase is null ? [] : ["-passin", $"pass:{passphrase}"];
        return File.ReadAllBytes(Make(["pkey", "-in", keyFile, .. pass, "-pubout", "-outform", "DER"]));
    }

    public void Dispose() => _dir.Dispose();
}
