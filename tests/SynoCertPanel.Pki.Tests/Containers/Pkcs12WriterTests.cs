using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Tests.Support;
using static SynoCertPanel.Pki.Tests.Containers.ContainerTestData;

namespace SynoCertPanel.Pki.Tests.Containers;

public class Pkcs12WriterTests
{
    private static string OpenSslInfo(byte[] pfx, string password, bool legacy)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("out.pfx", pfx);
        string[] arguments = ["pkcs12", "-info", "-nodes", "-in", file, "-passin", $"pass:{password}"];
        var outcome = OpenSsl.Run(legacy ? [.. arguments, "-legacy"] : arguments);
        Assert.True(outcome.ExitCode == 0, outcome.All);
        Assert.Contains("BEGIN PRIVATE KEY", outcome.Output, StringComparison.Ordinal);
        return outcome.All;
    }

    /// <summary>openssl's output with the base64 lines of every PEM block left out.</summary>
    private static string WithoutPemBodies(string info)
    {
        var inside = false;
        var kept = new List<string>();
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith("-----BEGIN ", StringComparison.Ordinal))
            {
                inside = true;
            }
            else if (line.StartsWith("-----END ", StringComparison.Ordinal))
            {
                inside = false;
            }
            else if (!inside)
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept);
    }

    [Fact]
    public void WithoutPemBodies_LeavesOutTheBase64OfEachBlockOnly()
    {
        var filtered = WithoutPemBodies("MAC: sha1\n-----BEGIN CERTIFICATE-----\nMIIBAESx\n-----END CERTIFICATE-----\nfriendlyName: x\n");

        Assert.Equal("MAC: sha1\nfriendlyName: x\n", filtered);
    }

    [Fact]
    public void Write_ModernProfile_OpenSslShowsAesPbkdf2AndSha256Mac()
    {
        var pfx = Pkcs12Writer.Write(Leaf.Certificate, Leaf.Key!, Leaf.Chain, "s3cret", Pkcs12Profile.Modern, "NAS web").Value;

        var info = OpenSslInfo(pfx, "s3cret", legacy: false);

        Assert.Contains("MAC: sha256", info, StringComparison.Ordinal);
        Assert.Contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC", info, StringComparison.Ordinal);
        Assert.Contains("Encrypted data: PBES2, PBKDF2, AES-256-CBC", info, StringComparison.Ordinal);
        Assert.Contains("PRF hmacWithSHA256", info, StringComparison.Ordinal);
        Assert.Contains("friendlyName: NAS web", info, StringComparison.Ordinal);
        Assert.DoesNotContain("TripleDES", WithoutPemBodies(info), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LegacyProfile_OpenSslShowsTripleDesAndSha1Mac()
    {
        var pfx = Pkcs12Writer.Write(Leaf.Certificate, Leaf.Key!, Leaf.Chain, "s3cret", Pkcs12Profile.Legacy).Value;

        var info = OpenSslInfo(pfx, "s3cret", legacy: true);

        Assert.Contains("MAC: sha1", info, StringComparison.Ordinal);
        Assert.Contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC", info, StringComparison.Ordinal);
        Assert.Contains("Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC", info, StringComparison.Ordinal);
        Assert.Contains("friendlyName: nas.home.arpa", info, StringComparison.Ordinal);
        // Only openssl's own description lines: "AES" turns up by chance in the base64 of the PEM blocks it prints.
        Assert.DoesNotContain("AES", WithoutPemBodies(info), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Pkcs12Profile.Modern)]
    [InlineData(Pkcs12Profile.Legacy)]
    public void Write_ThenRead_ReturnsSameLeafKeyAndChain(Pkcs12Profile profile)
    {
        var pfx = Pkcs12Writer.Write(Leaf.Certificate, Leaf.Key!, Leaf.Chain, "pw", profile).Value;

        var read = Pkcs12Reader.Read(pfx, "pw");

        Assert.True(read.IsSuccess, read.Error);
        Assert.Equal(Leaf.Certificate, read.Value.Leaf);
        Assert.Equal(Leaf.Key!.SubjectPublicKeyInfo.ToArray(), read.Value.Key.SubjectPublicKeyInfo.ToArray());
        Assert.Equal(Leaf.Chain, read.Value.Chain);
    }

    [Fact]
    public void Write_EmptyPassword_RefusedWithMessage()
    {
        var result = Pkcs12Writer.Write(Leaf.Certificate, Leaf.Key!, Leaf.Chain, "");

        Assert.False(result.IsSuccess);
        Assert.Contains("password", result.Error, StringComparison.Ordinal);
    }
}
