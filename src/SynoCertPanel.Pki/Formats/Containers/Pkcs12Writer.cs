using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>Writes a private key, its certificate and the issuers above it as one PKCS#12 file.</summary>
/// <remarks>
/// BouncyCastle's Pkcs12Store rather than .NET's ExportPkcs12: .NET can set a friendly name only on Windows.
/// BouncyCastle always writes a SHA-1 MAC, so <see cref="Pkcs12Mac"/> replaces it with the profile's MAC.
/// </remarks>
public static class Pkcs12Writer
{
    public static Result<byte[]> Write(Certificate leaf, PrivateKey key, IReadOnlyList<Certificate> chain, string password,
        Pkcs12Profile profile = Pkcs12Profile.Modern, string? friendlyName = null)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(chain);
        if (!leaf.Matches(key))
        {
            throw new ArgumentException("The key does not belong to the certificate.", nameof(key));
        }

        if (string.IsNullOrEmpty(password))
        {
            // Windows' import wizard and macOS Keychain reject or mishandle password-less files, and the file holds a key.
            return Result.Failure<byte[]>("A PKCS#12 file holds the private key: choose a password to protect it.");
        }

        var name = string.IsNullOrWhiteSpace(friendlyName) ? DefaultFriendlyName(leaf) : friendlyName.Trim();
        var builder = new Pkcs12StoreBuilder().SetUseDerEncoding(true);
        if (profile == Pkcs12Profile.Modern)
        {
            builder.SetKeyAlgorithm(NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256);
            builder.SetCertAlgorithm(NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256);
        }
        else
        {
            builder.SetKeyAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc);
            builder.SetCertAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc);
        }

        var store = builder.Build();
        var entries = new[] { leaf }.Concat(chain.Where(c => !c.Equals(leaf)).Distinct())
            .Select(c => new X509CertificateEntry(c.Parsed))
            .ToArray();
        store.SetKeyEntry(name, new AsymmetricKeyEntry(key.BouncyCastleKey), entries);

        var random = new SecureRandom();
        using var output = new MemoryStream();
        store.Save(output, password.ToCharArray(), random);
        return Result.Success(Pkcs12Mac.Replace(output.ToArray(), password, profile, random));
    }

    /// <summary>Windows' certificate manager and Keychain Access list a PKCS#12 entry by this name.</summary>
    private static string DefaultFriendlyName(Certificate leaf) =>
        leaf.Subject.CommonName is { Length: > 0 } commonName ? commonName : leaf.SubjectText;
}
