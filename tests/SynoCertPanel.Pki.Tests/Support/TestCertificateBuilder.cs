using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using SynoCertPanel.Pki.Certificates;
using BcKeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage;
using BcNameConstraints = Org.BouncyCastle.Asn1.X509.NameConstraints;

namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>
/// Everything a hand-built test certificate carries. The defaults make a good server certificate for
/// nas.home.arpa; each lint case changes one thing with <c>with</c>. Null removes an extension.
/// </summary>
public sealed record TestCertificateSpec
{
    /// <summary>The instant every lint test pretends is now.</summary>
    public static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    public string? CommonName { get; init; } = "nas.home.arpa";

    public IReadOnlyList<GeneralName>? SubjectAltNames { get; init; } = [Dns("nas.home.arpa"), Ip(192, 168, 1, 10)];

    public TestKey Key { get; init; } = TestKeys.LeafP256;

    public int? KeyUsage { get; init; } = BcKeyUsage.DigitalSignature;

    public bool KeyUsageCritical { get; init; } = true;

    public IReadOnlyList<KeyPurposeID>? ExtendedKeyUsages { get; init; } = [KeyPurposeID.id_kp_serverAuth];

    public BasicConstraints? BasicConstraints { get; init; } = new(false);

    public bool BasicConstraintsCritical { get; init; } = true;

    public Time NotBefore { get; init; } = new(Now.AddDays(-1));

    public Time NotAfter { get; init; } = new(Now.AddDays(396));

    /// <summary>Null draws 16 random bytes, as the engine does.</summary>
    public BigInteger? Serial { get; init; }

    public bool Sha1Signature { get; init; }

    public bool SubjectKeyIdentifier { get; init; } = true;

    public bool AuthorityKeyIdentifier { get; init; } = true;

    public BcNameConstraints? NameConstraints { get; init; }

    /// <summary>An extension no client knows (a private OID), marked critical when set; null leaves it out.</summary>
    public bool? UnknownExtensionCritical { get; init; }

    /// <summary>An extension marked critical with its value (OID, DER), such as one only OpenSSL processes; null leaves it out.</summary>
    public (string Oid, Asn1Encodable Value)? CriticalExtension { get; init; }

    /// <summary>The private OID of <see cref="UnknownExtensionCritical"/>.</summary>
    public const string UnknownExtensionOid = "1.3.6.1.4.1.55555.1.1";

    /// <summary>A good root: CA:TRUE pathLen 0, keyUsage critical, no name constraints.</summary>
    public static TestCertificateSpec Root { get; } = new()
    {
        CommonName = "Lint Test Root",
        SubjectAltNames = null,
        Key = TestKeys.RootP256,
        KeyUsage = BcKeyUsage.KeyCertSign | BcKeyUsage.CrlSign | BcKeyUsage.DigitalSignature,
        ExtendedKeyUsages = null,
        BasicConstraints = new BasicConstraints(0),
        NotBefore = new Time(Now.AddYears(-1)),
        NotAfter = new Time(Now.AddYears(9)),
    };

    /// <summary><see cref="Root"/> constrained to home.arpa and 192.168.0.0/16, as the panel's home-lab default suggests.</summary>
    public static TestCertificateSpec ConstrainedRoot { get; } = Root with
    {
        CommonName = "Lint Test Constrained Root",
        NameConstraints = new BcNameConstraints(new GeneralSubtrees([
            new GeneralSubtree(new GeneralName(GeneralName.DnsName, "home.arpa")),
            new GeneralSubtree(new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[] { 192, 168, 0, 0, 255, 255, 0, 0 }))),
        ]), null),
    };

    /// <summary>A good issuing CA (pathLen 0); the root above it needs pathLen 1.</summary>
    public static TestCertificateSpec Intermediate { get; } = Root with
    {
        CommonName = "Lint Test Issuing CA",
        Key = TestKeys.IntermediateP256,
        NotBefore = new Time(Now.AddMonths(-6)),
        NotAfter = new Time(Now.AddYears(4)),
        NameConstraints = null,
    };

    public static GeneralName Dns(string name) => new(GeneralName.DnsName, new DerIA5String(name, validate: false));

    /// <summary>A dNSName whose bytes are UTF-8, as some tools write Unicode names instead of punycode.</summary>
    public static GeneralName Utf8Dns(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        return new(GeneralName.DnsName, Asn1Object.FromByteArray([0x16, (byte)bytes.Length, .. bytes]));
    }

    public static GeneralName Ip(params byte[] address) => new(GeneralName.IPAddress, new DerOctetString(address));
}

/// <summary>A hand-built certificate and its key, so it can sign the next one.</summary>
public sealed record TestCertificate(Certificate Certificate, TestKey Key)
{
    /// <summary>Builds with X509V3CertificateGenerator directly, so any rule can be broken on purpose.</summary>
    public static TestCertificate Build(TestCertificateSpec spec, TestCertificate? issuer = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var subject = new X509Name(spec.CommonName is null ? "O=Home Lab" : $"CN={spec.CommonName},O=Home Lab");
        var subjectKey = spec.Key.Pair.Public;
        var signingKey = issuer?.Key ?? spec.Key;
        var generator = new X509V3CertificateGenerator();
        var serial = spec.Serial ?? new BigInteger(1, Guid.NewGuid().ToByteArray()).SetBit(126);
        generator.SetSerialNumber(serial.SignValue > 0 ? serial : BigInteger.One);
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuer?.Certificate.Parsed.SubjectDN ?? subject);
        generator.SetValidity(new Validity(spec.NotBefore, spec.NotAfter));
        generator.SetPublicKey(subjectKey);
        if (spec.BasicConstraints is { } basic)
        {
            generator.AddExtension(X509Extensions.BasicConstraints, spec.BasicConstraintsCritical, basic);
        }

        if (spec.KeyUsage is { } usage)
        {
            generator.AddExtension(X509Extensions.KeyUsage, spec.KeyUsageCritical, new BcKeyUsage(usage));
        }

        if (spec.ExtendedKeyUsages is { } ekus)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(ekus));
        }

        var subjectKeyId = X509ExtensionUtilities.CreateSubjectKeyIdentifier(subjectKey);
        if (spec.SubjectKeyIdentifier)
        {
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, subjectKeyId);
        }

        if (spec.AuthorityKeyIdentifier)
        {
            var authorityKeyId = issuer is null
                ? subjectKeyId.GetKeyIdentifier()
                : X509ExtensionUtilities.CreateSubjectKeyIdentifier(issuer.Key.Pair.Public).GetKeyIdentifier();
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
        }

        if (spec.SubjectAltNames is { } names)
        {
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names.ToArray()));
        }

        if (spec.NameConstraints is { } constraints)
        {
            generator.AddExtension(X509Extensions.NameConstraints, true, constraints);
        }

        if (spec.UnknownExtensionCritical is { } critical)
        {
            generator.AddExtension(new DerObjectIdentifier(TestCertificateSpec.UnknownExtensionOid), critical, DerNull.Instance);
        }

        if (spec.CriticalExtension is { } extension)
        {
            generator.AddExtension(new DerObjectIdentifier(extension.Oid), true, extension.Value);
        }

        var algorithm = spec.Sha1Signature ? signingKey.Sha1SignatureAlgorithm : signingKey.SignatureAlgorithm;
        var signer = new Asn1SignatureFactory(algorithm, signingKey.Pair.Private);
        var certificate = generator.Generate(signer);
        var der = serial.SignValue > 0 ? certificate.GetEncoded() : ResignWithSerial(certificate, serial, signer);
        return new TestCertificate(Certificate.FromDer(der).Value, spec.Key);
    }

    /// <summary>BouncyCastle's generator refuses a serial that is not positive; swap it into the TBS and sign again.</summary>
    private static byte[] ResignWithSerial(X509Certificate certificate, BigInteger serial, Asn1SignatureFactory signer)
    {
        var fields = Asn1Sequence.GetInstance(certificate.CertificateStructure.TbsCertificate.ToAsn1Object()).ToArray();
        fields[1] = new DerInteger(serial);
        var tbs = new DerSequence(fields);
        var calculator = signer.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            tbs.EncodeTo(stream, Asn1Encodable.Der);
        }

        var signature = ((IBlockResult)calculator.GetResult()).Collect();
        return new DerSequence(tbs, (AlgorithmIdentifier)signer.AlgorithmDetails, new DerBitString(signature)).GetEncoded(Asn1Encodable.Der);
    }
}
