using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// The exceptions BouncyCastle and .NET throw on malformed input. Only these become "damaged" results;
/// anything else is a bug and must surface.
/// </summary>
internal static class ParseErrors
{
    public static bool IsParseError(Exception e) => e is ArgumentException or InvalidCastException or IOException
        or FormatException or InvalidOperationException or OverflowException or IndexOutOfRangeException
        or GeneralSecurityException or Asn1ParsingException or CryptoException
        or System.Security.Cryptography.CryptographicException;
}
