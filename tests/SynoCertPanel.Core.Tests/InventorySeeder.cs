using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

/// <summary>
/// Fills an inventory with many real certificates from one P-256 CA, fast: issued by the engine and stored
/// in batches, skipping the one-transaction-per-certificate path (each commit waits for an fsync).
/// Shared with bench/SynoCertPanel.Bench.Inventory so the test checks the data the benchmark times.
/// </summary>
internal static class InventorySeeder
{
    public const int BatchSize = 1000;

    public static readonly string[] Zones = ["home.arpa", "lab.lan", "nas.internal", "media.home.arpa"];

    public static string HostName(int i) => $"host{i:D5}.{Zones[i % Zones.Length]}";

    /// <summary>Descriptions in an order unrelated to the ids, so sorting by them is a real test.</summary>
    public static string Description(int i) => $"Service {i * 7919 % 10007:D5}";

    public static async Task<int> SeedAsync(PanelStorage storage, TimeProvider time, int count)
    {
        var root = (await new AuthorityService(storage, time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Seed Root CA").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "seed").ConfigureAwait(false)).Value;
        var authority = (await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, root.Id, CancellationToken.None).ConfigureAwait(false)).Value.Authority;

        var issuer = new CertificateIssuer(time);
        var now = time.GetUtcNow();
        for (var start = 0; start < count; start += BatchSize)
        {
            await using var db = storage.CreateContext();
            for (var i = start; i < Math.Min(count, start + BatchSize); i++)
            {
                var issued = issuer.IssueLeaf(authority, new LeafOptions
                {
                    Subject = DistinguishedName.Create(HostName(i)).Value,
                    SubjectAlternativeNames = SanParser.ParseAll([HostName(i)]).Value,
                    KeyAlgorithm = KeyAlgorithm.EcdsaP256,
                    ValidityDays = 30 + (i * 7919 % 790),
                }).Value;
                var record = Records.ToRecord(issued.Certificate, issued.Chain, CertificateSource.Created, Description(i), now);
                record.PrivateKey = Records.SealKey(storage.Protector, issued.Key!, now);
                record.IssuedByAuthorityId = root.Id;
                db.Certificates.Add(record);
                db.IssuedSerials.Add(new IssuedSerialRecord { AuthorityId = root.Id, SerialNumber = issued.Certificate.SerialNumberHex, IssuedAt = now });
            }

            await db.SaveChangesAsync().ConfigureAwait(false);
        }

        return root.Id;
    }
}
