using System.IO.Compression;
using System.Text.Json;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>
/// `ca create --parent`: an intermediate under a root held here; what it issues carries the full chain in every export,
/// and the root can be exported and deleted (taken offline) while the intermediate goes on issuing.
/// </summary>
public sealed class IntermediateCaCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static int Certificates(string pem) => pem.Split("-----BEGIN CERTIFICATE-----").Length - 1;

    private async Task<(JsonElement Root, JsonElement Intermediate)> CreateHierarchyAsync()
    {
        var root = await _dir.RunJsonAsync("ca", "create", "--cn", "Lab Root", "--key", "p256", "--allow-intermediates");
        var intermediate = await _dir.RunJsonAsync("ca", "create", "--cn", "Lab Issuing CA", "--parent", root.GetProperty("id").ToString());
        return (root, intermediate);
    }

    private async Task<string> IssueAsync(JsonElement authority, string host)
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", host, "--san", host, "--key", "p256", "--ca", authority.GetProperty("id").ToString());
        return created.GetProperty("id").ToString();
    }

    private async Task<string> ExportAsync(string id, string format, string file, params string[] extra)
    {
        await _dir.RunJsonAsync(["cert", "export", id, "--format", format, "--out", _dir.File(file), .. extra]);
        return _dir.File(file);
    }

    private static async Task AssertVerifiesAsync(string root, string untrusted, string leaf, string host)
    {
        var verify = await CliProcess.RunToolAsync("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", host,
            "-CAfile", root, "-untrusted", untrusted, leaf);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task CaCreate_Parent_IntermediateListedUnderItsRoot()
    {
        var (root, intermediate) = await CreateHierarchyAsync();

        var listed = (await _dir.RunJsonAsync("ca", "list")).GetProperty("items").EnumerateArray().ToList();

        Assert.False(intermediate.GetProperty("isRoot").GetBoolean());
        Assert.Equal(root.GetProperty("id").GetInt32(), intermediate.GetProperty("parentId").GetInt32());
        Assert.Equal([true, false], listed.Select(a => a.GetProperty("isRoot").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, listed[0].GetProperty("parentId").ValueKind);
        Assert.Equal(root.GetProperty("id").GetInt32(), listed[1].GetProperty("parentId").GetInt32());
    }

    [Fact]
    public async Task CertCreate_UnderIntermediate_EveryExportCarriesTheFullChainAndOpenSslVerifiesIt()
    {
        var (root, intermediate) = await CreateHierarchyAsync();
        var leaf = await IssueAsync(intermediate, "nas.lab.internal");
        var rootPem = await ExportAsync(root.GetProperty("certificateId").ToString(), "pem", "root.pem");
        var intermediatePem = await ExportAsync(intermediate.GetProperty("certificateId").ToString(), "pem", "intermediate.pem");
        var leafPem = await ExportAsync(leaf, "pem", "leaf.pem");
        await File.WriteAllTextAsync(_dir.File("pfx.pass"), "correct horse\n");

        var fullChain = await ExportAsync(leaf, "fullchain", "fullchain.pem");
        var p7b = await ExportAsync(leaf, "p7b", "leaf.p7b");
        var pfx = await ExportAsync(leaf, "pfx", "leaf.pfx", "--include-key", "--password-file", _dir.File("pfx.pass"));
        var zip = await ExportAsync(leaf, "synology-zip", "leaf.zip", "--include-key");

        await AssertVerifiesAsync(rootPem, intermediatePem, leafPem, "nas.lab.internal");
        Assert.Equal(3, Certificates(await File.ReadAllTextAsync(fullChain)));
        await AssertVerifiesAsync(rootPem, fullChain, leafPem, "nas.lab.internal");
        var fromP7b = await CliProcess.RunToolAsync("openssl", "pkcs7", "-inform", "DER", "-print_certs", "-in", p7b);
        Assert.Equal(3, Certificates(fromP7b.Output));
        var fromPfx = await CliProcess.RunToolAsync("openssl", "pkcs12", "-in", pfx, "-nokeys", "-passin", "file:" + _dir.File("pfx.pass"));
        Assert.True(fromPfx.ExitCode == 0, fromPfx.Error);
        Assert.Equal(3, Certificates(fromPfx.Output));
        using var archive = ZipFile.OpenRead(zip);
        using var caFile = new StreamReader(archive.GetEntry("syno-ca-cert.pem")!.Open());
        var synologyChain = await caFile.ReadToEndAsync();
        Assert.Equal(2, Certificates(synologyChain));
        await File.WriteAllTextAsync(_dir.File("syno-ca-cert.pem"), synologyChain);
        await AssertVerifiesAsync(rootPem, _dir.File("syno-ca-cert.pem"), leafPem, "nas.lab.internal");
    }

    [Fact]
    public async Task CertDelete_RootWithIntermediate_RefusedWithoutForceNamingTheIntermediate()
    {
        var (root, _) = await CreateHierarchyAsync();

        var result = await _dir.RunAsync("cert", "delete", root.GetProperty("certificateId").ToString());

        CliDataDirectory.AssertRefused(result, "This CA signed the intermediate CA \"CN=Lab Issuing CA\"");
        Assert.Equal(2, (await _dir.RunJsonAsync("ca", "list")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task CertDelete_RootForcedAfterExport_IntermediateKeepsIssuingFullChainsThatVerify()
    {
        var (root, intermediate) = await CreateHierarchyAsync();
        var rootPem = await ExportAsync(root.GetProperty("certificateId").ToString(), "pem", "root.pem");
        await _dir.RunJsonAsync("cert", "delete", root.GetProperty("certificateId").ToString(), "--force");

        var leaf = await IssueAsync(intermediate, "nas2.lab.internal");

        var listed = Assert.Single((await _dir.RunJsonAsync("ca", "list")).GetProperty("items").EnumerateArray());
        Assert.False(listed.GetProperty("isRoot").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("parentId").ValueKind);
        var fullChain = await ExportAsync(leaf, "fullchain", "fullchain.pem");
        Assert.Equal(3, Certificates(await File.ReadAllTextAsync(fullChain)));
        await AssertVerifiesAsync(rootPem, fullChain, await ExportAsync(leaf, "pem", "leaf.pem"), "nas2.lab.internal");
        var setDefault = await _dir.RunAsync("cert", "set-default", leaf);
        Assert.True(setDefault.ExitCode == 0, setDefault.Error);
    }

    [Fact]
    public async Task CaCreate_ParentRootWithoutIntermediates_RefusedAndNothingStored()
    {
        var root = await _dir.RunJsonAsync("ca", "create", "--cn", "Leaf-only Root", "--key", "p256");

        var result = await _dir.RunAsync("ca", "create", "--cn", "Lab Issuing CA", "--parent", root.GetProperty("id").ToString());

        CliDataDirectory.AssertRefused(result, "its path length is 0");
        Assert.Single((await _dir.RunJsonAsync("ca", "list")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task CaCreate_ParentIsAnIntermediate_Refused()
    {
        var (_, intermediate) = await CreateHierarchyAsync();

        var result = await _dir.RunAsync("ca", "create", "--cn", "Third level", "--parent", intermediate.GetProperty("id").ToString());

        CliDataDirectory.AssertRefused(result, "its path length is 0");
    }

    [Fact]
    public async Task CaCreate_UnknownParent_Refused()
    {
        CliDataDirectory.AssertRefused(await _dir.RunAsync("ca", "create", "--cn", "Lab Issuing CA", "--parent", "9"), "There is no CA with id 9 held here");
    }
}
