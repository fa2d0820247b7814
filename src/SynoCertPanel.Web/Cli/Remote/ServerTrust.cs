using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// Decides whether the server's certificate is the panel's, in one of three ways and never "accept any": the pinned
/// SHA-256 fingerprint of the certificate served, the home CA given with --cacert, or
/// the system's trusted CAs. A refusal keeps a sentence naming what was served, for the error the command prints;
/// the token is only sent once the handshake has passed this check.
/// </summary>
internal sealed class ServerTrust(string authority, string? fingerprint, X509Certificate2Collection? anchors, string? anchorsFile)
{
    /// <summary>Why the last handshake was refused, or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The CA certificates in a PEM file (one or more), or one DER certificate (the trust page's .cer).</summary>
    public static Result<X509Certificate2Collection> LoadAnchors(string file)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            var text = File.ReadAllText(file);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                certificates.ImportFromPem(text);
            }
            else
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(File.ReadAllBytes(file)));
            }

            return Result.Success(certificates);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return Result.Failure<X509Certificate2Collection>(
                $"--cacert {Display.Literal(file, 200)} is not a CA certificate file (PEM or DER) that can be read: {Display.Literal(e.Message, 160)}");
        }
    }

    /// <summary>The served certificate's SHA-256 as the trust page writes it: AA:BB:….</summary>
    public static string Colons(string hex) => string.Join(':', hex.Chunk(2).Select(pair => new string(pair)));

    /// <summary>
    /// The chain the handshake builds: with a pin or a CA file, to that CA file alone (never to a CA of the system's
    /// store), without fetching issuers or asking for revocation (a home CA publishes none); null for the system's own
    /// rules. .NET still reads the system's store while building it (bench/RESULTS.md).
    /// </summary>
    public X509ChainPolicy? ChainPolicy()
    {
        if (fingerprint is null && anchors is null)
        {
            return null;
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(anchors ?? []);
        return policy;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Refusal = $"{authority} served no certificate.";
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var nameMismatch = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
        Refusal = fingerprint is not null ? CheckPinned(leaf)
            : anchors is not null ? CheckChain(leaf, chain, errors, nameMismatch)
            : errors == SslPolicyErrors.None ? null
            : $"{authority} served {Describe(leaf)}, which this machine does not trust{(nameMismatch ? " (and not for this host name)" : string.Empty)}; "
                + "give the panel's CA with --cacert FILE (its trust page has it) or pin the certificate with --fingerprint.";
        return Refusal is null;
    }

    /// <summary>
    /// The certificate itself: the server proved in the handshake that it holds its key, whatever its names or issuer.
    /// Not a CA's fingerprint: the panel does not send its root, so a chain to one could not be checked.
    /// </summary>
    private string? CheckPinned(X509Certificate2 leaf) => Sha256(leaf) == fingerprint ? null
        : $"{authority} served {Describe(leaf)}, not the pinned one (--fingerprint {Colons(fingerprint!)}); if the panel's certificate was renewed, "
            + "compare the new fingerprint with `cert show` on the panel before pinning it, or trust its CA with --cacert FILE instead.";

    /// <summary>The handshake built the chain to the CA file alone (<see cref="ChainPolicy"/>); this says what it found.</summary>
    private string? CheckChain(X509Certificate2 leaf, X509Chain? chain, SslPolicyErrors errors, bool nameMismatch)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) || chain is null)
        {
            var status = string.Join(", ", (chain?.ChainStatus ?? []).Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return $"{authority} served {Describe(leaf)}, which the CA in {anchorsFile} did not sign ({Display.Literal(status, 200)}).";
        }

        return nameMismatch
            ? $"{authority} served {Describe(leaf)}, which the CA in {anchorsFile} signed but not for this host name; call the panel by a name its certificate has."
            : null;
    }

    private static string Describe(X509Certificate2 certificate) =>
        $"a certificate for \"{Display.Literal(certificate.Subject, 120)}\" issued by \"{Display.Literal(certificate.Issuer, 120)}\" (SHA-256 {Colons(Sha256(certificate))})";

    private static string Sha256(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));
}
