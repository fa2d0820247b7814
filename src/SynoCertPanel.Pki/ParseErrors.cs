using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace SynoCertPanel.Pki;

/// <summary>
/// The exceptions BouncyCastle and .NET throw on malformed input (found by the mutation tests). Only these
/// become "damaged" results; anything else is a bug and must surface.
/// </summary>
internal static class ParseErrors
{
    /// <summary>Real certificates, keys and requests nest a dozen levels; anything deeper is refused unread.</summary>
    public const int MaxNesting = 32;

    public static bool IsParseError(Exception e) => e is ArgumentException or InvalidCastException or IOException
        or FormatException or InvalidOperationException or OverflowException or IndexOutOfRangeException
        or ArithmeticException or NotSupportedException
        or GeneralSecurityException or SecurityUtilityException or Asn1ParsingException or CryptoException
        or System.Security.Cryptography.CryptographicException;

    /// <summary>
    /// BouncyCastle parses recursively, and extension values are parsed again from their octets on first use:
    /// check the whole encoding and every extension value, so no input can overflow the stack.
    /// </summary>
    public static bool NestsTooDeeply(ReadOnlySpan<byte> der) => !Formats.DerNesting.IsWithin(der, MaxNesting);

    public static bool NestsTooDeeply(Org.BouncyCastle.Asn1.X509.X509Extensions? extensions) =>
        extensions is not null && extensions.ExtensionOids.Any(oid => NestsTooDeeply(extensions.GetExtension(oid).Value.GetOctets()));
}
