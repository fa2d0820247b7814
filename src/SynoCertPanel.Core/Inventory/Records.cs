using System.Security.Cryptography;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Core.Inventory;

/// <summary>Maps the engine's certificates and keys to inventory rows and back (keys sealed on the way in).</summary>
internal static class Records
{
    public static string PublicKeyHash(ReadOnlySpan<byte> subjectPublicKeyInfo) => Convert.ToHexString(SHA256.HashData(subjectPublicKeyInfo));

    private static string Purpose(string publicKeyHash) => $"private-key:{publicKeyHash}";

    public static PrivateKeyRecord SealKey(KeyProtector protector, PrivateKey key, DateTimeOffset now)
    {
        var hash = PublicKeyHash(key.SubjectPublicKeyInfo.Span);
        var pkcs8 = key.ExportPkcs8();
        try
        {
            return new PrivateKeyRecord
            {
                Algorithm = key.Algorithm.ToShortName(),
                PublicKeySha256 = hash,
                EncryptedPkcs8 = protector.Seal(pkcs8, Purpose(hash)),
                CreatedAt = now,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public static Result<PrivateKey> OpenKey(KeyProtector protector, PrivateKeyRecord record) => OpenStoredKey(protector, SealedKey.Of(record));

    /// <summary>
    /// Opens a sealed key with .NET alone (<see cref="PrivateKey.FromStoredPkcs8"/>): it was made here or checked when it was
    /// imported, and the row names its type. The HTTPS listener then starts without BouncyCastle, and `cert create` no
    /// longer pays BouncyCastle's RSA modulus check on the CA key (bench/results/cli-startup.md).
    /// </summary>
    public static Result<PrivateKey> OpenStoredKey(KeyProtector protector, SealedKey key)
    {
        var algorithm = KeyAlgorithms.Parse(key.Algorithm);
        if (!algorithm.IsSuccess)
        {
            return Result.Failure<PrivateKey>($"Private key {key.Id} is recorded as an unknown key type ({key.Algorithm}).");
        }

        var pkcs8 = protector.Open(key.EncryptedPkcs8, Purpose(key.PublicKeySha256));
        if (pkcs8 is null)
        {
            return Result.Failure<PrivateKey>(Undecryptable(key.Id));
        }

        try
        {
            return PrivateKey.FromStoredPkcs8(algorithm.Value, pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static string Undecryptable(int keyId) =>
        $"Private key {keyId} cannot be decrypted with this key-encryption key (the row was altered or belongs to another data directory).";

    public static CertificateRecord ToRecord(Certificate certificate, IReadOnlyList<Certificate> chain, CertificateSource source,
        string description, DateTimeOffset now) => new()
        {
            Description = description,
            Subject = certificate.SubjectText,
            CommonName = certificate.Subject.CommonName,
            AlternativeNames = JoinNames(certificate.SubjectAlternativeNames),
            Issuer = certificate.IssuerText,
            SerialNumber = certificate.SerialNumberHex,
            NotBefore = certificate.NotBefore,
            NotAfter = certificate.NotAfter,
            KeyDescription = certificate.PublicKey.ToString(),
            Sha256Fingerprint = certificate.Sha256Fingerprint,
            Source = source,
            IsCertificateAuthority = certificate.IsCertificateAuthority,
            Der = certificate.ToDer(),
            ChainPem = string.Concat(chain.Select(c => c.ToPem())),
            CreatedAt = now,
        };

    /// <summary>The names as the list shows and searches them: one per line, DNS:… / IP:….</summary>
    public static string JoinNames(IEnumerable<Pki.Names.SubjectAlternativeName> names) => string.Join('\n', names.Select(n => n.ToString()));

    /// <summary>A request made here, its key sealed, waiting for the signed certificate to come back.</summary>
    public static PendingRequestRecord ToPendingRecord(KeyProtector protector, CertificateSigningRequest request, PrivateKey key, string description,
        DateTimeOffset now, int? renewsCertificateId = null) => new()
        {
            Description = description,
            Subject = request.SubjectText,
            AlternativeNames = JoinNames(request.SubjectAlternativeNames),
            CsrDer = request.ToDer(),
            PrivateKey = SealKey(protector, key, now),
            RenewsCertificateId = renewsCertificateId,
            CreatedAt = now,
        };

    public static Certificate ToCertificate(CertificateRecord record) => Certificate.FromDer(record.Der).Value;

    public static IReadOnlyList<Certificate> ChainOf(CertificateRecord record) =>
        ChainDer(record.ChainPem).Select(der => Certificate.FromDer(der.Span).Value).ToList();

    /// <summary>A stored chain's certificates as encoded, nearest issuer first; none when the chain was not stored.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> ChainDer(string? chainPem) => string.IsNullOrEmpty(chainPem)
        ? []
        : Pki.Formats.PemReader.ReadAll(chainPem).Value.Select(b => (ReadOnlyMemory<byte>)b.Data).ToList();
}

/// <summary>A private key row as the listener reads it: sealed under the key-encryption key, with the type it was stored as.</summary>
internal sealed record SealedKey(int Id, string Algorithm, string PublicKeySha256, byte[] EncryptedPkcs8)
{
    public static SealedKey Of(PrivateKeyRecord record) => new(record.Id, record.Algorithm, record.PublicKeySha256, record.EncryptedPkcs8);
}
