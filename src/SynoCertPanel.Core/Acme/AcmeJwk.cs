using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// An account's public key as a JWK (RFC 7517/7518): an EC key on P-256, P-384 or P-521, or an RSA key of 2048 to 8192
/// bits. It verifies JWS signatures with <see cref="System.Security.Cryptography"/> and names itself by its RFC 7638
/// thumbprint, which is how accounts are found and how http-01/tls-alpn-01/dns-01 key authorizations are made.
/// </summary>
public sealed class AcmeJwk
{
    public const int MinRsaBits = 2048;

    // Larger keys only make each verification slower for us; no client makes them.
    public const int MaxRsaBits = 8192;

    private readonly ECParameters? _ec;
    private readonly RSAParameters? _rsa;

    private AcmeJwk(ECParameters ec, string curve, string x, string y)
    {
        _ec = ec;
        KeyType = "EC";
        Curve = curve;
        CanonicalJson = $$"""{"crv":"{{curve}}","kty":"EC","x":"{{x}}","y":"{{y}}"}""";
        Thumbprint = AcmeBase64.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson)));
    }

    private AcmeJwk(RSAParameters rsa, string e, string n)
    {
        _rsa = rsa;
        KeyType = "RSA";
        RsaBits = rsa.Modulus!.Length * 8 - LeadingZeroBits(rsa.Modulus[0]);
        CanonicalJson = $$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""";
        Thumbprint = AcmeBase64.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson)));
    }

    /// <summary><c>EC</c> or <c>RSA</c>.</summary>
    public string KeyType { get; }

    /// <summary>The EC curve (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>), null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>The RSA modulus size in bits, 0 for EC.</summary>
    public int RsaBits { get; }

    /// <summary>
    /// The key's required members only, in lexicographic order with no white space (RFC 7638 §3): what the thumbprint
    /// hashes, and what is stored for the account.
    /// </summary>
    public string CanonicalJson { get; }

    /// <summary>The RFC 7638 SHA-256 thumbprint, base64url.</summary>
    public string Thumbprint { get; }

    /// <summary>Whether <paramref name="alg"/> is one this key can sign with (ES256 only on P-256, and so on).</summary>
    public bool Accepts(string alg) => KeyType switch
    {
        "EC" => (Curve, alg) is ("P-256", "ES256") or ("P-384", "ES384") or ("P-521", "ES512"),
        _ => alg is "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512",
    };

    /// <summary>Checks <paramref name="signature"/> over <paramref name="signingInput"/> with <paramref name="alg"/>.</summary>
    public bool Verify(string alg, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (!Accepts(alg))
        {
            return false;
        }

        var hash = alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        try
        {
            if (_ec is { } ec)
            {
                using var key = ECDsa.Create(ec);
                return key.VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }

            using var rsa = RSA.Create(_rsa!.Value);
            var padding = alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
            return rsa.VerifyData(signingInput, signature, hash, padding);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether this is the public half of <paramref name="publicKey"/> (revocation by the certificate's key).</summary>
    public bool Matches(AsymmetricAlgorithm publicKey) => publicKey switch
    {
        ECDsa ec => _ec is { } mine && SameEc(mine, ec.ExportParameters(false)),
        RSA rsa => _rsa is { } own && SameRsa(own, rsa.ExportParameters(false)),
        _ => false,
    };

    /// <summary>
    /// Whether this is the key in <paramref name="subjectPublicKeyInfo"/> (a CSR's or a certificate's): a finalize may not
    /// use the account key, and a revocation may be signed by the certificate's own key.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        try
        {
            if (_ec is not null)
            {
                using var ec = ECDsa.Create();
                ec.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                return Matches(ec);
            }

            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            return Matches(rsa);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The JWK for a .NET public key, as a client would send it (tests and the panel's own ACME client).</summary>
    public static AcmeJwk FromKey(AsymmetricAlgorithm key)
    {
        var json = key switch
        {
            ECDsa ec => EcJson(ec.ExportParameters(false)),
            RSA rsa => RsaJson(rsa.ExportParameters(false)),
            _ => throw new ArgumentException("Only EC and RSA keys are ACME account keys.", nameof(key)),
        };
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement).Value;
    }

    /// <summary>Reads a JWK from a JWS protected header (or an EAB payload), refusing anything but a usable public key.</summary>
    public static AcmeOutcome<AcmeJwk> Parse(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return AcmeProblem.Malformed("The \"jwk\" header must be a JSON object holding the account's public key.");
        }

        if (jwk.TryGetProperty("d", out _) || jwk.TryGetProperty("p", out _))
        {
            return AcmeProblem.BadPublicKey("The \"jwk\" holds a private key. Send only the public half; treat this key as exposed and make a new one.");
        }

        return Member(jwk, "kty") switch
        {
            "EC" => ParseEc(jwk),
            "RSA" => ParseRsa(jwk),
            null => AcmeProblem.BadPublicKey("The \"jwk\" has no \"kty\". Send an EC (P-256, P-384, P-521) or RSA public key."),
            var other => AcmeProblem.BadPublicKey($"Key type \"{Shorten(other)}\" is not accepted. Use an EC (P-256, P-384, P-521) or RSA (2048 bits or more) key."),
        };
    }

    private static AcmeOutcome<AcmeJwk> ParseEc(JsonElement jwk)
    {
        var curve = Member(jwk, "crv");
        var (oid, size) = curve switch
        {
            "P-256" => (ECCurve.NamedCurves.nistP256, 32),
            "P-384" => (ECCurve.NamedCurves.nistP384, 48),
            "P-521" => (ECCurve.NamedCurves.nistP521, 66),
            _ => (default(ECCurve), 0),
        };
        if (size == 0)
        {
            return AcmeProblem.BadPublicKey($"EC curve \"{Shorten(curve ?? "")}\" is not accepted. Use P-256, P-384 or P-521.");
        }

        var x = Member(jwk, "x");
        var y = Member(jwk, "y");
        // RFC 7518 §6.2.1.2: each coordinate is exactly the curve's size, so one key has one thumbprint.
        if (!AcmeBase64.TryDecode(x, out var xBytes) || !AcmeBase64.TryDecode(y, out var yBytes)
            || xBytes.Length != size || yBytes.Length != size)
        {
            return AcmeProblem.BadPublicKey($"The EC key's \"x\" and \"y\" must each be {size} bytes in base64url for {curve}.");
        }

        var parameters = new ECParameters { Curve = oid, Q = new ECPoint { X = xBytes, Y = yBytes } };
        try
        {
            // Refuses a point that is not on the curve, which would otherwise only fail at the first signature.
            using var key = ECDsa.Create(parameters);
        }
        catch (CryptographicException)
        {
            return AcmeProblem.BadPublicKey($"The EC key's point is not on {curve}.");
        }

        return new AcmeJwk(parameters, curve!, x!, y!);
    }

    private static AcmeOutcome<AcmeJwk> ParseRsa(JsonElement jwk)
    {
        var n = Member(jwk, "n");
        var e = Member(jwk, "e");
        if (!AcmeBase64.TryDecode(n, out var modulus) || !AcmeBase64.TryDecode(e, out var exponent)
            || modulus.Length == 0 || exponent.Length == 0)
        {
            return AcmeProblem.BadPublicKey("The RSA key's \"n\" and \"e\" must be base64url numbers.");
        }

        // RFC 7518 §6.3.1: no leading zero octets, so one key has one thumbprint.
        if (modulus[0] == 0 || exponent[0] == 0)
        {
            return AcmeProblem.BadPublicKey("The RSA key's \"n\" or \"e\" starts with a zero octet, which RFC 7518 forbids.");
        }

        var bits = modulus.Length * 8 - LeadingZeroBits(modulus[0]);
        if (bits < MinRsaBits || bits > MaxRsaBits)
        {
            return AcmeProblem.BadPublicKey($"The RSA key has {bits} bits. Use {MinRsaBits} to {MaxRsaBits} bits (3072 or an EC key is a good choice).");
        }

        if (exponent.Length > 4 || (exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3))
        {
            return AcmeProblem.BadPublicKey("The RSA key's public exponent is not a usable odd number (65537 is usual).");
        }

        var parameters = new RSAParameters { Modulus = modulus, Exponent = exponent };
        try
        {
            using var key = RSA.Create(parameters);
        }
        catch (CryptographicException)
        {
            return AcmeProblem.BadPublicKey("The RSA key could not be read.");
        }

        return new AcmeJwk(parameters, e!, n!);
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";

    private static int LeadingZeroBits(byte first) => first == 0 ? 8 : 7 - (int)Math.Log2(first);

    private static bool SameEc(ECParameters a, ECParameters b) =>
        a.Curve.Oid.Value == b.Curve.Oid.Value && a.Q.X!.AsSpan().SequenceEqual(b.Q.X) && a.Q.Y!.AsSpan().SequenceEqual(b.Q.Y);

    private static bool SameRsa(RSAParameters a, RSAParameters b) =>
        a.Modulus!.AsSpan().TrimStart((byte)0).SequenceEqual(b.Modulus.AsSpan().TrimStart((byte)0))
        && a.Exponent!.AsSpan().TrimStart((byte)0).SequenceEqual(b.Exponent.AsSpan().TrimStart((byte)0));

    private static string EcJson(ECParameters p)
    {
        var curve = p.Curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => "P-256",
            "1.3.132.0.34" => "P-384",
            "1.3.132.0.35" => "P-521",
            _ => throw new ArgumentException("Only P-256, P-384 and P-521 keys are ACME account keys.", nameof(p)),
        };
        return $$"""{"crv":"{{curve}}","kty":"EC","x":"{{AcmeBase64.Encode(p.Q.X)}}","y":"{{AcmeBase64.Encode(p.Q.Y)}}"}""";
    }

    private static string RsaJson(RSAParameters p) =>
        $$"""{"e":"{{AcmeBase64.Encode(p.Exponent.AsSpan().TrimStart((byte)0))}}","kty":"RSA","n":"{{AcmeBase64.Encode(p.Modulus.AsSpan().TrimStart((byte)0))}}"}""";
}
