using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// The certificate a panel serves before the admin has chosen one: its own small root plus a server
/// certificate for this machine's host name, localhost and its addresses, so the panel is reachable at once.
/// </summary>
public static class StartupCertificate
{
    public sealed record Served(X509Certificate2 Certificate, IssuedCertificate Issued);

    public static Served Create(TimeProvider time)
    {
        var issuer = new CertificateIssuer(time);
        var host = Dns.GetHostName();
        var rootResult = issuer.CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create($"SynoCertPanel start-up CA ({Truncate(host, 30)})", "SynoCertPanel").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = 825,
        });
        var root = CertificateAuthority.Create(rootResult.Value.Certificate, rootResult.Value.Key!).Value;
        var leaf = issuer.IssueLeaf(root, new LeafOptions
        {
            Subject = DistinguishedName.Create(null, "SynoCertPanel").Value,
            SubjectAlternativeNames = MachineNames(host),
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;

        var certificate = X509Certificate2.CreateFromPem(leaf.Certificate.ToPem(),
            Pem.Encode(Pem.PrivateKeyLabel, leaf.Key!.ExportPkcs8()));
        return new Served(certificate, leaf);
    }

    /// <summary>localhost, the host name, loopback and this machine's unicast addresses — the ones that parse.</summary>
    public static IReadOnlyList<SubjectAlternativeName> MachineNames(string host)
    {
        var candidates = new List<string> { "localhost", host, "127.0.0.1", "::1" };
        candidates.AddRange(NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork
                || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
            .Select(a => a.ToString()));
        return candidates
            .Select(SubjectAlternativeName.Parse)
            .Where(r => r.IsSuccess)
            .Select(r => r.Value)
            .Distinct()
            .Take(SanParser.MaxEntries)
            .ToList();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
