using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using NameConstraints = SynoCertPanel.Pki.Profiles.NameConstraints;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>
/// Makes certificates and requests: roots, intermediates, leaves, CSRs, renewals, and signing of CSRs
/// from other boxes. Everything that varies (clock, key source) is passed in, so tests pin it.
/// </summary>
public sealed class CertificateIssuer(TimeProvider time)
{
    /// <summary>
    /// notBefore is set this far in the past so a box whose clock runs a little behind still accepts the
    /// certificate at once. Validity is counted from notBefore, so Apple's 825-day rule still holds.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromHours(1);

    public CertificateIssuer()
        : this(TimeProvider.System)
    {
    }

    public Result<IssuedCertificate> CreateRootCa(RootCaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = options.AllowIntermediates ? CertificateProfile.RootCaWithIntermediates : CertificateProfile.RootCa;
        if (string.IsNullOrEmpty(options.Subject.CommonName))
        {
            return Result.Failure<IssuedCertificate>("A root CA needs a common name: iOS hides CAs without one in Certificate Trust Settings.");
        }

        var validity = profile.CheckValidity(options.ValidityDays ?? profile.DefaultValidityDays);
        if (!validity.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>(validity.Error!);
        }

        var key = KeyGenerator.Generate(options.KeyAlgorithm);
        var notBefore = NotBefore();
        var certificate = CertificateBuilder.Build(new CertificateDraft(
            Subject: options.Subject.ToX509Name(),
            SubjectKey: key.BouncyCastlePublicKeyInfo(),
            SubjectAlgorithm: key.Algorithm,
            Profile: profile,
            Names: [],
            Constraints: options.NameConstraints,
            NotBefore: notBefore,
            NotAfter: notBefore.AddDays(validity.Value)), issuer: null, signingKey: key);
        return Result.Success(new IssuedCertificate(certificate, key, []));
    }

    public Result<IssuedCertificate> CreateIntermediateCa(CertificateAuthority parent, IntermediateCaOptions options)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(options);
        if (parent.Certificate.PathLength is 0)
        {
            return Result.Failure<IssuedCertificate>(
                $"\"{Display.Literal(parent.Certificate.SubjectText)}\" may only sign server and client certificates (its path length is 0).");
        }

        if (string.IsNullOrEmpty(options.Subject.CommonName))
        {
            return Result.Failure<IssuedCertificate>("An intermediate CA needs a common name.");
        }

        var profile = CertificateProfile.IntermediateCa;
        var window = ValidityWindow(parent, profile, options.ValidityDays, out var warnings);
        if (!window.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>(window.Error!);
        }

        var key = KeyGenerator.Generate(options.KeyAlgorithm);
        var certificate = CertificateBuilder.Build(new CertificateDraft(options.Subject.ToX509Name(), key.BouncyCastlePublicKeyInfo(), key.Algorithm, profile,
            [], options.NameConstraints, window.Value.NotBefore, window.Value.NotAfter), parent, parent.Key);
        return Result.Success(new IssuedCertificate(certificate, key, parent.ChainForIssued), warnings);
    }

    /// <summary>Issues a server (or client) certificate with a new key (or the one given).</summary>
    public Result<IssuedCertificate> IssueLeaf(CertificateAuthority issuer, LeafOptions options)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(options);
        var names = IssuanceNames.Complete(options.Subject, options.SubjectAlternativeNames, IssuanceNames.IsServer(options.Profile));
        if (!names.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>(names.Error!);
        }

        var constraintProblem = IssuanceNames.CheckConstraints(issuer, names.Value.Names, names.Value.Subject);
        if (constraintProblem is not null)
        {
            return Result.Failure<IssuedCertificate>(constraintProblem);
        }

        var window = ValidityWindow(issuer, options.Profile, options.ValidityDays, out var warnings);
        if (!window.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>(window.Error!);
        }

        var key = options.ExistingKey ?? KeyGenerator.Generate(options.KeyAlgorithm);
        var certificate = CertificateBuilder.Build(new CertificateDraft(IssuanceNames.SubjectUnder(issuer, names.Value.Subject).ToX509Name(), key.BouncyCastlePublicKeyInfo(), key.Algorithm,
            options.Profile, names.Value.Names, NameConstraints.None, window.Value.NotBefore, window.Value.NotAfter), issuer, issuer.Key);
        return Result.Success(new IssuedCertificate(certificate, key, issuer.ChainForIssued), warnings);
    }

    /// <summary>
    /// The names <see cref="CreateSigningRequest(DistinguishedName, IReadOnlyList{SubjectAlternativeName}, PrivateKey)"/> puts in a
    /// request (a host-name CN repeated as a SAN), or its refusal, without making one: for a client that has another box make it.
    /// </summary>
    public static Result<IReadOnlyList<SubjectAlternativeName>> SigningRequestNames(DistinguishedName subject, IReadOnlyList<SubjectAlternativeName> names)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(names);
        return IssuanceNames.Complete(subject, names, requireHostName: false).Map(c => c.Names);
    }

    /// <summary>Makes a PKCS#10 request for the subject and names, signed with <paramref name="key"/>.</summary>
    public static Result<CertificateSigningRequest> CreateSigningRequest(DistinguishedName subject,
        IReadOnlyList<SubjectAlternativeName> names, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(key);
        var completed = IssuanceNames.Complete(subject, names, requireHostName: false);
        return completed.Map(c => CreateSigningRequest(c.Subject.ToX509Name(), c.Names, key));
    }

    /// <summary>
    /// Renewal: a new key and a request carrying the certificate's exact subject and its names. When the
    /// issuer is held here, follow with <see cref="SignRequest"/> (or use <see cref="RenewWith"/>).
    /// </summary>
    public static Result<RenewalRequest> CreateRenewalRequest(Certificate existing, KeyAlgorithm? keyAlgorithm = null)
    {
        ArgumentNullException.ThrowIfNull(existing);
        if (existing.IsCertificateAuthority)
        {
            return Result.Failure<RenewalRequest>("CA certificates are renewed by creating a new CA, not by a request.");
        }

        var algorithm = keyAlgorithm ?? existing.PublicKey.Algorithm ?? KeyAlgorithm.Rsa2048;
        var key = KeyGenerator.Generate(algorithm);
        var request = CreateSigningRequest(existing.Parsed.SubjectDN, existing.SubjectAlternativeNames, key);
        return Result.Success(new RenewalRequest(key, request));
    }

    /// <summary>
    /// Renews a certificate issued by a CA held here in one step: new key, same subject and names, valid from now for
    /// <paramref name="validityDays"/> (default <see cref="DefaultRenewalDays"/>), never past the CA's own end.
    /// </summary>
    public Result<IssuedCertificate> RenewWith(CertificateAuthority issuer, Certificate existing, KeyAlgorithm? keyAlgorithm = null,
        int? validityDays = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(existing);
        var renewal = CreateRenewalRequest(existing, keyAlgorithm);
        if (!renewal.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>(renewal.Error!);
        }

        var signed = SignRequest(issuer, renewal.Value.Request, new SignRequestOptions
        {
            ValidityDays = validityDays ?? DefaultRenewalDays(existing),
            Profile = RenewalProfile(existing),
        });
        return signed.Map(s => s with { Key = renewal.Value.Key });
    }

    /// <summary>The profile a renewal is issued under: a client certificate stays one, anything else is a server certificate.</summary>
    public static CertificateProfile RenewalProfile(Certificate existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return existing.ExtendedKeyUsageOids?.Contains(KeyPurposeID.id_kp_serverAuth.Id) == false
            && existing.ExtendedKeyUsageOids.Contains(KeyPurposeID.id_kp_clientAuth.Id)
            ? CertificateProfile.TlsClient
            : CertificateProfile.TlsServer;
    }

    /// <summary>A renewal's default validity: the old certificate's whole lifetime (counted again from now), capped by the profile.</summary>
    public static int DefaultRenewalDays(Certificate existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return (int)Math.Clamp(Math.Round(existing.Validity.TotalDays), 1, RenewalProfile(existing).MaxValidityDays);
    }

    /// <summary>
    /// The window a certificate issued at <paramref name="now"/> for <paramref name="days"/> gets under an issuer valid from
    /// <paramref name="issuerNotBefore"/> to <paramref name="issuerNotAfter"/>: from now (less the clock-skew allowance) for
    /// that many days, cut at the issuer's end. Pages show it before issuing; issuing uses the same rule.
    /// </summary>
    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) WindowFor(DateTimeOffset now, int days, DateTimeOffset issuerNotBefore,
        DateTimeOffset issuerNotAfter)
    {
        var notBefore = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) - ClockSkewAllowance;
        if (notBefore < issuerNotBefore)
        {
            notBefore = issuerNotBefore;
        }

        var notAfter = notBefore.AddDays(days);
        return (notBefore, notAfter > issuerNotAfter ? issuerNotAfter : notAfter);
    }

    /// <summary>
    /// Signs a request made elsewhere. Only the subject's common attributes and the approved names are
    /// taken; the CA flag, key usages, name constraints, AIA/CRL URLs and any other requested extension
    /// are decided here, never copied.
    /// </summary>
    public Result<IssuedCertificate> SignRequest(CertificateAuthority issuer, CertificateSigningRequest request, SignRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (request.PublicKey.HasExplicitCurveParameters)
        {
            // RFC 5480 §2.1.1: certificates name their curve. Copying the key as given would make a certificate
            // browsers and openssl -x509_strict refuse, and re-encoding it would sign a key the request did not carry.
            return Result.Failure<IssuedCertificate>(
                $"The request's key ({request.PublicKey}) gives its curve as explicit parameters instead of naming it; certificates must name the curve (RFC 5480). "
                + $"Make a new request with a key that names its curve. {ExplicitCurveParameters.Advice}");
        }

        if (!request.PublicKey.IsStrongEnough)
        {
            return Result.Failure<IssuedCertificate>(
                $"The request's key ({request.PublicKey}) is too weak or of an unsupported type: browsers require RSA of at least 2048 bits or ECDSA P-256/P-384.");
        }

        if (request.PublicKey.Family == PublicKeyFamily.Rsa && request.PublicKey.Bits > 16384)
        {
            return Result.Failure<IssuedCertificate>($"The request's RSA key of {request.PublicKey.Bits} bits is larger than any client supports.");
        }

        if (request.SubjectPublicKeyInfo.Span.SequenceEqual(issuer.Certificate.SubjectPublicKeyInfo.Span))
        {
            return Result.Failure<IssuedCertificate>("The request uses the CA's own key; a server must have a key of its own.");
        }

        var subject = options.CommonNameOnly
            ? DistinguishedName.Create(request.Subject.CommonName)
            : DistinguishedName.Create(request.Subject.CommonName, request.Subject.Organization,
                request.Subject.OrganizationalUnit, request.Subject.Locality, request.Subject.State, request.Subject.Country,
                request.Subject.Email);
        if (!subject.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>($"The request's subject cannot be used: {subject.Error}");
        }

        IReadOnlyList<SubjectAlternativeName> approved;
        var approvedSubject = subject.Value;
        if (approvedSubject.Email is not null && IssuanceNames.ClosesEmail(issuer))
        {
            // openssl's req asks for an e-mail address by default; a CA that permits none leaves it out, as it does
            // any other part of a request it will not vouch for (the preview lists it as not copied).
            approvedSubject = approvedSubject with { Email = null };
        }

        if (options.SubjectAlternativeNames is { } chosen)
        {
            approved = chosen;
            // The operator's list is the whole list: a requested CN outside it would otherwise be mirrored
            // into the SANs without approval. The CN is then taken from the first approved name.
            var requestedCn = approvedSubject.CommonName is { } cn ? SubjectAlternativeName.Parse(cn) : null;
            if (requestedCn is { IsSuccess: true } && requestedCn.Value.Kind is SanKind.Dns or SanKind.IpAddress
                && !chosen.Contains(requestedCn.Value))
            {
                approvedSubject = approvedSubject with { CommonName = null };
            }
        }
        else
        {
            // A server certificate carries only DNS and IP names: the request's e-mail and URI names are not copied.
            var server = IssuanceNames.IsServer(options.Profile);
            var revalidated = SanParser.ParseAll(request.SubjectAlternativeNames
                .Where(n => !server || n.Kind is SanKind.Dns or SanKind.IpAddress)
                .Select(n => n.ToString()));
            if (!revalidated.IsSuccess)
            {
                return Result.Failure<IssuedCertificate>($"The request asks for a name that cannot be issued: {revalidated.Error}");
            }

            approved = revalidated.Value;
        }

        var names = IssuanceNames.Complete(approvedSubject, approved, IssuanceNames.IsServer(options.Profile));
        if (!names.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>(names.Error!);
        }

        var constraintProblem = IssuanceNames.CheckConstraints(issuer, names.Value.Names, names.Value.Subject);
        if (constraintProblem is not null)
        {
            return Result.Failure<IssuedCertificate>(constraintProblem);
        }

        var window = options.Lifetime is { } lifetime
            ? LifetimeWindow(issuer, options.Profile, lifetime, out var warnings)
            : ValidityWindow(issuer, options.Profile, options.ValidityDays, out warnings);
        if (!window.IsSuccess)
        {
            return Result.Failure<IssuedCertificate>(window.Error!);
        }

        var algorithm = request.PublicKey.Algorithm ?? (request.PublicKey.Family == PublicKeyFamily.Rsa ? KeyAlgorithm.Rsa4096 : KeyAlgorithm.EcdsaP256);
        var certificate = CertificateBuilder.Build(new CertificateDraft(IssuanceNames.SubjectUnder(issuer, names.Value.Subject).ToX509Name(),
            Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(request.SubjectPublicKeyInfo.ToArray()), algorithm,
            options.Profile, names.Value.Names, NameConstraints.None, window.Value.NotBefore, window.Value.NotAfter)
        {
            CrlDistributionPoint = options.CrlDistributionPoint,
        }, issuer, issuer.Key);
        return Result.Success(new IssuedCertificate(certificate, null, issuer.ChainForIssued), warnings);
    }

    private DateTimeOffset NotBefore()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) - ClockSkewAllowance;
    }

    private Result<(DateTimeOffset NotBefore, DateTimeOffset NotAfter)> ValidityWindow(CertificateAuthority issuer,
        CertificateProfile profile, int? requestedDays, out IReadOnlyList<string> warnings)
    {
        warnings = [];
        var days = profile.CheckValidity(requestedDays ?? profile.DefaultValidityDays);
        if (!days.IsSuccess)
        {
            return Result.Failure<(DateTimeOffset, DateTimeOffset)>(days.Error!);
        }

        var now = time.GetUtcNow();
        if (!issuer.Certificate.IsValidAt(now))
        {
            return Result.Failure<(DateTimeOffset, DateTimeOffset)>(
                $"The CA \"{Display.Literal(issuer.Certificate.SubjectText)}\" is not valid now (valid {issuer.Certificate.NotBefore:yyyy-MM-dd} to {issuer.Certificate.NotAfter:yyyy-MM-dd}).");
        }

        var (notBefore, notAfter) = WindowFor(now, days.Value, issuer.Certificate.NotBefore, issuer.Certificate.NotAfter);
        if (notAfter < notBefore.AddDays(days.Value))
        {
            warnings = [$"The validity was shortened to end with the CA's own on {notAfter:yyyy-MM-dd}: a certificate cannot outlive its issuer."];
        }

        return Result.Success((notBefore, notAfter));
    }

    private Result<(DateTimeOffset NotBefore, DateTimeOffset NotAfter)> LifetimeWindow(CertificateAuthority issuer,
        CertificateProfile profile, TimeSpan lifetime, out IReadOnlyList<string> warnings)
    {
        warnings = [];
        if (lifetime < TimeSpan.FromHours(1) || lifetime > TimeSpan.FromDays(profile.MaxValidityDays))
        {
            return Result.Failure<(DateTimeOffset, DateTimeOffset)>($"The lifetime must be from 1 hour to {profile.MaxValidityDays} days.");
        }

        var now = time.GetUtcNow();
        if (!issuer.Certificate.IsValidAt(now))
        {
            return Result.Failure<(DateTimeOffset, DateTimeOffset)>(
                $"The CA \"{Display.Literal(issuer.Certificate.SubjectText)}\" is not valid now (valid {issuer.Certificate.NotBefore:yyyy-MM-dd} to {issuer.Certificate.NotAfter:yyyy-MM-dd}).");
        }

        // The clock-skew allowance comes on top of the lifetime here: a one-hour certificate is then usable for the full hour.
        var (notBefore, _) = WindowFor(now, 0, issuer.Certificate.NotBefore, issuer.Certificate.NotAfter);
        var notAfter = now + lifetime;
        if (notAfter > issuer.Certificate.NotAfter)
        {
            notAfter = issuer.Certificate.NotAfter;
            warnings = [$"The validity was shortened to end with the CA's own on {notAfter:yyyy-MM-dd}: a certificate cannot outlive its issuer."];
        }

        return Result.Success((notBefore, new DateTimeOffset(notAfter.UtcTicks - (notAfter.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero)));
    }

    private static CertificateSigningRequest CreateSigningRequest(X509Name subject, IReadOnlyList<SubjectAlternativeName> names, PrivateKey key)
    {
        var generator = new X509ExtensionsGenerator();
        if (names.Count > 0)
        {
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, CertificateBuilder.ToGeneralNames(names));
        }

        var attributes = generator.IsEmpty
            ? new DerSet()
            : new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(generator.Generate())));
        var request = new Pkcs10CertificationRequest(KeyBackends.SignatureFactoryFor(key), subject, key.BouncyCastlePublicKeyInfo(), attributes);
        return CertificateSigningRequest.FromSigned(request);
    }
}
