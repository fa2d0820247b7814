using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace SynoCertPanel.Pki.Lint.Rules;

/// <summary>Serial, key identifiers and date encodings: TRUST-RULES.md rows sourced to RFC 5280, CA/B and zlint.</summary>
internal static class EncodingRules
{
    /// <summary>RFC 5280 §4.1.2.2: conforming CAs use serials of at most 20 octets.</summary>
    public const int MaxSerialOctets = 20;

    /// <summary>CA/B ballot 164: at least 64 bits from a CSPRNG. A shorter serial cannot hold that many.</summary>
    public const int MinSerialBits = 64;

    private static readonly DateTime Year2050 = new(2050, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static IReadOnlyList<LintRule> All { get; } =
    [
        // RFC 5280 §4.1.2.2: the serial MUST be a positive integer.
        new("e_serial_number_not_positive", LintSeverity.Error, TlsClients.None, "RFC 5280 §4.1.2.2", RuleScope.Any,
            s => s.Certificate.SerialNumber.SignValue <= 0
                ? $"{s.Name} has a serial number that is zero or negative; RFC 5280 requires a positive one."
                : null),

        // RFC 5280 §4.1.2.2: conforming CAs MUST NOT use serials longer than 20 octets.
        new("e_serial_number_longer_than_20_octets", LintSeverity.Error, TlsClients.None, "RFC 5280 §4.1.2.2", RuleScope.Any,
            s => s.Certificate.SerialNumber.ToByteArray().Length > MaxSerialOctets
                ? $"{s.Name} has a serial number longer than {MaxSerialOctets} octets, which clients need not accept."
                : null),

        // CA/B Forum ballot 164: 64 random bits keep serials unique per issuer without a database.
        new("w_serial_number_low_entropy", LintSeverity.Warning, TlsClients.None, "CA/B Forum ballot 164", RuleScope.Any,
            s => s.Certificate.SerialNumber.SignValue > 0 && s.Certificate.SerialNumber.BitLength < MinSerialBits
                ? $"{s.Name} has a {s.Certificate.SerialNumber.BitLength}-bit serial number; use at least {MinSerialBits} random bits so serials never repeat."
                : null),

        // RFC 5280 §4.2.1.1: every certificate but a self-signed one carries an AKI; OpenSSL 3 -x509_strict
        // refuses a chain certificate without one.
        new("e_ext_authority_key_identifier_missing", LintSeverity.Error, TlsClients.OpenSsl, "RFC 5280 §4.2.1.1; zlint", RuleScope.Any,
            s => !s.Certificate.IsSelfIssued && s.Certificate.AuthorityKeyIdentifier is null
                ? $"{s.Name} has no authorityKeyIdentifier; strict verifiers (openssl -x509_strict) refuse it."
                : null),

        // RFC 5280 §4.2.1.2: CA certificates MUST carry a SKI; OpenSSL 3 -x509_strict checks it.
        new("e_ca_subject_key_identifier_missing", LintSeverity.Error, TlsClients.OpenSsl, "RFC 5280 §4.2.1.2; zlint", RuleScope.Authority,
            s => s.Certificate.SubjectKeyIdentifier is null
                ? $"{s.Name} has no subjectKeyIdentifier; strict verifiers (openssl -x509_strict) refuse it."
                : null),

        // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 (zlint e_wrong_time_format_pre2050).
        new("e_validity_time_wrong_encoding", LintSeverity.Error, TlsClients.None, "RFC 5280 §4.1.2.5; zlint", RuleScope.Any,
            s => IsWellEncoded(s.Certificate.Parsed.CertificateStructure.StartDate)
                && IsWellEncoded(s.Certificate.Parsed.CertificateStructure.EndDate)
                ? null
                : $"{s.Name} encodes its validity dates wrongly: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280)."),

        // RFC 5280 §4.2: a client MUST reject a certificate with a critical extension it does not process.
        new("e_ext_unknown_critical", LintSeverity.Error, TlsClients.All, "RFC 5280 §4.2", RuleScope.Any,
            s => Certificates.CriticalExtensions.EveryClientProblem(s.Certificate, s.Name)),
        // The same for the few extensions OpenSSL processes and browsers do not (Netscape certificate type, OCSP no-check):
        // `openssl verify` accepts such a certificate, so the lint's OpenSSL verdict does too.
        new("e_ext_critical_unprocessed_by_browsers", LintSeverity.Error, TlsClients.Browsers, "RFC 5280 §4.2; OpenSSL X509_supported_extension", RuleScope.Any,
            s => Certificates.CriticalExtensions.BrowsersOnlyProblem(s.Certificate, s.Name)),
    ];

    private static bool IsWellEncoded(Time time) =>
        time.ToAsn1Object() is Asn1UtcTime ? time.ToDateTime() < Year2050 : time.ToDateTime() >= Year2050;
}
