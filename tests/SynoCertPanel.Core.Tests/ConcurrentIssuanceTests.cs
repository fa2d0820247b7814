using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using Xunit.Abstractions;

namespace SynoCertPanel.Core.Tests;

public sealed class ConcurrentIssuanceTests(ITestOutputHelper log)
{
    private const int Issuances = 200;

    [Fact]
    public async Task Issue_TwoHundredInParallelFromOneCa_AllStoredWithUniqueSerials()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var root = (await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Home Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "admin")).Value;
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, Issuances).Select(i => Task.Run(() => authorities.IssueAsync(root.Id, new LeafOptions
        {
            Subject = DistinguishedName.Create($"nas{i}.home.arpa").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, string.Empty, setAsDefault: false, "admin"))));

        log.WriteLine($"{Issuances} parallel issuances in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error));
        Assert.Equal(Issuances, results.Select(r => r.Value).Distinct().Count());
        await using var db = panel.Storage.CreateContext();
        var serials = await db.IssuedSerials.Where(s => s.AuthorityId == root.Id).Select(s => s.SerialNumber).ToListAsync();
        Assert.Equal(Issuances, serials.Count);
        Assert.Equal(Issuances, serials.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var certificates = await db.Certificates.Where(c => c.IssuedByAuthorityId == root.Id).ToListAsync();
        Assert.Equal(serials.Order(StringComparer.OrdinalIgnoreCase), certificates.Select(c => Records.ToCertificate(c).SerialNumberHex).Order(StringComparer.OrdinalIgnoreCase));
    }
}
