namespace SynoCertPanel.Pki.Keys;

/// <summary>The key types the panel generates and accepts for certificates it issues.</summary>
public enum KeyAlgorithm
{
    Rsa2048,
    Rsa3072,
    Rsa4096,
    EcdsaP256,
    EcdsaP384,
}

public static class KeyAlgorithms
{
    public static IReadOnlyList<KeyAlgorithm> All { get; } = Enum.GetValues<KeyAlgorithm>();

    public static bool IsRsa(this KeyAlgorithm algorithm) =>
        algorithm is KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096;

    public static int RsaBits(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => 2048,
        KeyAlgorithm.Rsa3072 => 3072,
        KeyAlgorithm.Rsa4096 => 4096,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not an RSA key type."),
    };

    /// <summary>The short name used on the command line and in settings: rsa2048 … p384.</summary>
    public static string ToShortName(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => "rsa2048",
        KeyAlgorithm.Rsa3072 => "rsa3072",
        KeyAlgorithm.Rsa4096 => "rsa4096",
        KeyAlgorithm.EcdsaP256 => "p256",
        KeyAlgorithm.EcdsaP384 => "p384",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    public static string ToDisplayName(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => "RSA 2048",
        KeyAlgorithm.Rsa3072 => "RSA 3072",
        KeyAlgorithm.Rsa4096 => "RSA 4096",
        KeyAlgorithm.EcdsaP256 => "ECDSA P-256",
        KeyAlgorithm.EcdsaP384 => "ECDSA P-384",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    public static Result<KeyAlgorithm> Parse(string? text)
    {
        var normalized = (text ?? string.Empty).Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal)
            .Replace(" ", "", StringComparison.Ordinal);
        return normalized switch
        {
            "rsa2048" or "rsa" => Result.Success(KeyAlgorithm.Rsa2048),
            "rsa3072" => Result.Success(KeyAlgorithm.Rsa3072),
            "rsa4096" => Result.Success(KeyAlgorithm.Rsa4096),
            "p256" or "ecdsap256" or "ec" or "ecdsa" or "prime256v1" or "secp256r1" => Result.Success(KeyAlgorithm.EcdsaP256),
            "p384" or "ecdsap384" or "secp384r1" => Result.Success(KeyAlgorithm.EcdsaP384),
            _ => Result.Failure<KeyAlgorithm>(
                $"Unknown key type \"{Display.Literal(text ?? string.Empty, 40)}\": use rsa2048, rsa3072, rsa4096, p256 or p384."),
        };
    }
}
