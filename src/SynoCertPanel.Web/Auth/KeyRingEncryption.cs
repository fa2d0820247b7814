using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Seals each key of the data-protection key ring (the keys behind sign-in cookies and antiforgery tokens) with the data
/// directory's key-encryption key, as the private keys are: AES-256-GCM, bound to its purpose. A copy of the
/// data-protection-keys folder alone forges no cookie.
/// </summary>
public sealed class KeyRingEncryptor(KeyProtector protector) : IXmlEncryptor
{
    public const string Purpose = "data-protection-key";

    public const string ElementName = "sealedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var sealedKey = protector.Seal(plaintext, Purpose);
            return new EncryptedXmlInfo(
                new XElement(ElementName, new XComment(" sealed with the data directory's key-encryption key (AES-256-GCM) "), Convert.ToBase64String(sealedKey)),
                typeof(KeyRingDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Checks the key files before the key ring is read. A key an earlier version wrote with the master key in the clear is
/// removed, so a copy of the folder never holds a usable key; a file that is not XML (which would fail every request)
/// is moved aside as <c>.damaged</c>. Signed-in browsers then sign in again once; a new sealed key is made when needed.
/// </summary>
public sealed class UnsealedKeyRemoval
{
    public const string DamagedSuffix = ".damaged";

    public int Removed { get; private init; }

    public int Damaged { get; private init; }

    public static UnsealedKeyRemoval Run(DirectoryInfo keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!keys.Exists)
        {
            return new UnsealedKeyRemoval();
        }

        var removed = 0;
        var damaged = 0;
        foreach (var file in keys.GetFiles("*.xml"))
        {
            XDocument key;
            try
            {
                key = XDocument.Load(file.FullName);
            }
            catch (System.Xml.XmlException)
            {
                // The key ring reads only *.xml: aside, the file is kept for a look but no longer stops every sign-in.
                file.MoveTo(file.FullName + DamagedSuffix, overwrite: true);
                damaged++;
                continue;
            }

            if (key.Descendants().Any(e => e.Name.LocalName == "masterKey"))
            {
                file.Delete();
                removed++;
            }
        }

        return new UnsealedKeyRemoval { Removed = removed, Damaged = damaged };
    }
}

/// <summary>Opens what <see cref="KeyRingEncryptor"/> sealed; made by the data-protection system with the host's services.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var protector = services.GetRequiredService<PanelStorage>().Protector;
        byte[] sealedKey;
        try
        {
            sealedKey = Convert.FromBase64String(encryptedElement.Value.Trim());
        }
        catch (FormatException e)
        {
            throw new CryptographicException("A data-protection key is damaged: its sealed value is not base64.", e);
        }

        var plaintext = protector.Open(sealedKey, KeyRingEncryptor.Purpose)
            ?? throw new CryptographicException("A data-protection key was sealed under another key-encryption key, or altered.");
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
