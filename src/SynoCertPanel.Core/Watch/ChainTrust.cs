using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Core.Watch;

/// <summary>The outcome of building the served chain: the anchor it reached, or why it reached none.</summary>
internal sealed record ChainTrustResult(bool Trusted, string? Anchor, string Problem);

/// <summary>
/// Builds the served chain the way a client does: to a home CA root (an X509Chain with a custom trust store
/// holding only those roots), else to the machine's roots. Dates are left out here (expiry is its own
/// state) and nothing is fetched or checked online.
/// </summary>
internal static class ChainTrust
{
    public static ChainTrustResult Evaluate(IReadOnlyList<byte[]> served, IReadOnlyList<Certificate> homeRoots, bool trustSystemRoots,
        DateTimeOffset now)
    {
        var loaded = new List<X509Certificate2>();
        try
        {
            foreach (var der in served)
            {
                try
                {
                    loaded.Add(X509CertificateLoader.LoadCertificate(der));
                }
                catch (CryptographicException)
                {
                    // A certificate the platform cannot read cannot help a client build the chain either.
                }
            }

            if (loaded.Count == 0)
            {
                return new ChainTrustResult(false, null, "the served certificate cannot be read");
            }

            var problem = "no home CA root is held here and system roots are not consulted";
            if (homeRoots.Count > 0)
            {
                var home = Build(loaded, now, homeRoots);
                if (home.Trusted)
                {
                    return home with { Anchor = $"the home CA \"{home.Anchor}\"" };
                }

                problem = home.Problem;
            }

            if (trustSystemRoots)
            {
                var system = Build(loaded, now, null);
                if (system.Trusted)
                {
                    return system with { Anchor = $"the system root \"{system.Anchor}\"" };
                }

                problem = homeRoots.Count > 0 ? problem : system.Problem;
            }

            return new ChainTrustResult(false, null, problem);
        }
        finally
        {
            foreach (var certificate in loaded)
            {
                certificate.Dispose();
            }
        }
    }

    private static ChainTrustResult Build(List<X509Certificate2> served, DateTimeOffset now, IReadOnlyList<Certificate>? roots)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        policy.ExtraStore.AddRange(served.Skip(1).ToArray());
        var anchors = new List<X509Certificate2>();
        try
        {
            if (roots is not null)
            {
                anchors.AddRange(roots.Select(r => r.ToX509Certificate2()));
                policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                policy.CustomTrustStore.AddRange(anchors.ToArray());
            }

            var built = chain.Build(served[0]);
            var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
            try
            {
                var anchor = elements.Count > 0 ? elements[^1].GetNameInfo(X509NameType.SimpleName, forIssuer: false) : null;
                var problems = chain.ChainStatus
                    .Where(s => (s.Status & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.CtlNotTimeValid)) != 0)
                    .Select(s => s.StatusInformation.Trim().TrimEnd('.'))
                    .Where(s => s.Length > 0)
                    .Distinct()
                    .ToList();
                return new ChainTrustResult(built, anchor, problems.Count > 0 ? string.Join("; ", problems) : "the chain does not build");
            }
            finally
            {
                foreach (var element in elements)
                {
                    element.Dispose();
                }
            }
        }
        finally
        {
            foreach (var anchor in anchors)
            {
                anchor.Dispose();
            }
        }
    }
}
