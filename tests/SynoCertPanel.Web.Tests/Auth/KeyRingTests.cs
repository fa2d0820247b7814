using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;

namespace SynoCertPanel.Web.Tests.Auth;

/// <summary>The keys behind sign-in cookies and antiforgery tokens are stored sealed with the key-encryption key.</summary>
public sealed class KeyRingTests
{
    [Fact]
    public async Task SignedIn_KeyRingOnDisk_IsSealed_AndNoUnencryptedKeyWarning()
    {
        await using var panel = await TestPanel.StartAsync();
        using var browser = await panel.SetUpAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).StatusCode);

        var files = Directory.GetFiles(Path.Combine(panel.DataDirectory, "data-protection-keys"), "*.xml");

        Assert.NotEmpty(files);
        var decryptor = new KeyRingDecryptor(panel.App.Services);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("masterKey", text, StringComparison.Ordinal);
            var sealedKey = XDocument.Parse(text).Descendants(KeyRingEncryptor.ElementName).Single();
            Assert.Equal("masterKey", decryptor.Decrypt(sealedKey).Name.LocalName);
        }

        Assert.DoesNotContain(panel.Logs.Messages, m => m.Contains("XML encryptor", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Restart_OnTheSameDataDirectory_KeepsTheSession()
    {
        var data = Directory.CreateTempSubdirectory("synocert-keyring-").FullName;
        try
        {
            CookieContainer cookies;
            await using (var first = await TestPanel.StartAsync(dataDirectory: data))
            {
                using var browser = await first.SetUpAdminAsync();
                Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).StatusCode);
                cookies = browser.Cookies;
            }

            await using var second = await TestPanel.StartAsync(dataDirectory: data);
            using var returning = new Browser(second.BaseAddress, cookies);
            var page = await returning.GetPageAsync("/");

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("home", await page.Content.ReadAsStringAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Start_UnencryptedOrDamagedKeyFiles_AreRemovedOrMovedAside_AndTheNextKeyIsSealed()
    {
        var data = Directory.CreateTempSubdirectory("synocert-keyring-").FullName;
        try
        {
            var keys = Directory.CreateDirectory(Path.Combine(data, "data-protection-keys"));
            // What an earlier version left: a key ring with no encryptor, the master key in the clear.
            _ = Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create(keys).CreateProtector("test").Protect([1, 2, 3]);
            var old = Assert.Single(keys.GetFiles("key-*.xml"));
            Assert.Contains("masterKey", await File.ReadAllTextAsync(old.FullName), StringComparison.Ordinal);
            var garbage = Path.Combine(keys.FullName, "key-garbage.xml");
            await File.WriteAllTextAsync(garbage, "<not xml");

            await using var panel = await TestPanel.StartAsync(dataDirectory: data);
            using var browser = await panel.SetUpAdminAsync();

            Assert.False(File.Exists(old.FullName));
            Assert.False(File.Exists(garbage));
            Assert.Equal("<not xml", await File.ReadAllTextAsync(garbage + UnsealedKeyRemoval.DamagedSuffix));
            var sealedFiles = keys.GetFiles("key-*.xml").ToList();
            Assert.NotEmpty(sealedFiles);
            Assert.All(sealedFiles, f => Assert.DoesNotContain("masterKey", File.ReadAllText(f.FullName), StringComparison.Ordinal));
            Assert.Contains(panel.Logs.Messages, m => m.Contains("Removed 1 sign-in key(s)", StringComparison.Ordinal));
            Assert.Contains(panel.Logs.Messages, m => m.Contains("Moved 1 damaged sign-in key file(s)", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).StatusCode);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Decrypt_GarbageOtherKeyOrAlteredValue_IsRefusedWithTheReason()
    {
        await using var panel = await TestPanel.StartAsync();
        var protector = panel.App.Services.GetRequiredService<PanelStorage>().Protector;
        var decryptor = new KeyRingDecryptor(panel.App.Services);
        var element = new XElement("masterKey", new XElement("value", "secret"));
        var sealedKey = new KeyRingEncryptor(protector).Encrypt(element).EncryptedElement;
        Assert.Equal(element.ToString(), decryptor.Decrypt(sealedKey).ToString());

        var otherKey = new KeyRingEncryptor(new KeyProtector(RandomNumberGenerator.GetBytes(KeyProtector.KeyLength))).Encrypt(element).EncryptedElement;
        var altered = new XElement(sealedKey);
        var bytes = Convert.FromBase64String(altered.Value);
        bytes[^1] ^= 1;
        altered.Value = Convert.ToBase64String(bytes);

        Assert.Contains("another key-encryption key", Assert.Throws<CryptographicException>(() => decryptor.Decrypt(otherKey)).Message, StringComparison.Ordinal);
        Assert.Contains("another key-encryption key", Assert.Throws<CryptographicException>(() => decryptor.Decrypt(altered)).Message, StringComparison.Ordinal);
        Assert.Contains("not base64", Assert.Throws<CryptographicException>(() => decryptor.Decrypt(new XElement(KeyRingEncryptor.ElementName, "%%% not base64 %%%"))).Message,
            StringComparison.Ordinal);
        Assert.Contains("another key-encryption key", Assert.Throws<CryptographicException>(() => decryptor.Decrypt(new XElement(KeyRingEncryptor.ElementName, ""))).Message,
            StringComparison.Ordinal);
    }
}
