using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// Replaces the MAC of a PKCS#12 file with one over the same content, using the profile's digest
/// (RFC 7292 appendix B key derivation, ID 3, then HMAC).
/// </summary>
internal static class Pkcs12Mac
{
    /// <summary>OpenSSL's default (PKCS12_DEFAULT_ITER).</summary>
    public const int Iterations = 2048;

    private const int SaltLength = 16;

    public static byte[] Replace(byte[] pfxDer, string password, Pkcs12Profile profile, SecureRandom random)
    {
        var pfx = Pfx.GetInstance(Asn1Object.FromByteArray(pfxDer));
        var content = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
        var salt = new byte[SaltLength];
        random.NextBytes(salt);

        Func<IDigest> digest = profile == Pkcs12Profile.Modern ? () => new Sha256Digest() : () => new Sha1Digest();
        var oid = profile == Pkcs12Profile.Modern ? NistObjectIdentifiers.IdSha256 : OiwObjectIdentifiers.IdSha1;
        var generator = new Pkcs12ParametersGenerator(digest());
        generator.Init(PbeParametersGenerator.Pkcs12PasswordToBytes(password.ToCharArray()), salt, Iterations);
        var key = (KeyParameter)generator.GenerateDerivedMacParameters(digest().GetDigestSize() * 8);

        var hmac = new HMac(digest());
        hmac.Init(key);
        hmac.BlockUpdate(content, 0, content.Length);
        var mac = new byte[hmac.GetMacSize()];
        hmac.DoFinal(mac, 0);

        var macData = new MacData(new DigestInfo(new AlgorithmIdentifier(oid, DerNull.Instance), mac), salt, Iterations);
        return new Pfx(pfx.AuthSafe, macData).GetEncoded(Asn1Encodable.Der);
    }
}
