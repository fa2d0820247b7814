using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public class SeedScenarioImportTests
{
    [Fact]
    public async Task SeedScenario_Panel2ImportsSignedFullChainWithoutKeyFile_PendingKeyMatchedAndServable()
    {
        await using var panel1 = await PanelFixture.CreateAsync();
        await using var panel2 = await PanelFixture.CreateAsync();
        var created = (await panel1.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "192.168.1.10"), "admin")).Value;
        var pending = (await new RequestService(panel2.Storage, panel2.Time).CreateAsync(DistinguishedName.Create("nas2.home.arpa").Value,
            SanParser.ParseAll(["192.168.1.11"]).Value, KeyAlgorithm.EcdsaP256, "", "admin")).Value;
        var signed = (await new SigningService(panel1.Storage, panel1.Time).SignAsync(created.AuthorityId, pending.Request, new(), "", "admin")).Value;
        var fullChain = ChainPem.Write(signed.Issued.FullChain);

        var imported = await panel2.Import.ImportAsync(new ImportRequest { Files = [new BundleFile("nas2.crt", System.Text.Encoding.ASCII.GetBytes(fullChain))] }, "admin");

        Assert.True(imported.IsSuccess, imported.Error);
        Assert.Equal(pending.Id, imported.Value.CompletedRequestId);
        Assert.Equal((1, 1, 0, 0), await panel2.CountRowsAsync());
        Assert.Empty(await new RequestService(panel2.Storage, panel2.Time).ListAsync());
        var setDefault = await panel2.Inventory.SetDefaultAsync(imported.Value.CertificateId, "admin");
        Assert.True(setDefault.IsSuccess, setDefault.Error);

        var dir = Directory.CreateDirectory(Path.Combine(panel2.Path, "out")).FullName;
        var chain = (await panel2.Export.ExportAsync(imported.Value.CertificateId, ExportFormat.Chain, new ExportOptions(), "admin")).Value;
        var leaf = (await panel2.Export.ExportAsync(imported.Value.CertificateId, ExportFormat.Pem, new ExportOptions(), "admin")).Value;
        var key = (await panel2.Export.ExportAsync(imported.Value.CertificateId, ExportFormat.Key, new ExportOptions { IncludeKey = true }, "admin")).Value;
        File.WriteAllBytes(Path.Combine(dir, "root.pem"), chain.Content);
        File.WriteAllBytes(Path.Combine(dir, "leaf.pem"), leaf.Content);
        File.WriteAllBytes(Path.Combine(dir, "leaf.key"), key.Content);
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", "192.168.1.11",
            "-CAfile", Path.Combine(dir, "root.pem"), Path.Combine(dir, "leaf.pem"));
        Assert.True(verify.ExitCode == 0, verify.Output);
        var pairs = PanelFixture.Run("openssl", "x509", "-noout", "-pubkey", "-in", Path.Combine(dir, "leaf.pem")).Output
            == PanelFixture.Run("openssl", "pkey", "-pubout", "-in", Path.Combine(dir, "leaf.key")).Output;
        Assert.True(pairs, "the key held by panel 2 is not the certificate's key");
    }
}
