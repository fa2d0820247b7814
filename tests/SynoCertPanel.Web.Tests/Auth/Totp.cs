using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SynoCertPanel.Web.Tests.Auth;

/// <summary>An authenticator app in a few lines (RFC 6238 over RFC 4226, SHA-1, 30 s, 6 digits), written apart from Identity's.</summary>
internal static class Totp
{
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / 30);
        // Authenticator apps use HMAC-SHA1 (RFC 6238 default); SHA-1 collisions do not weaken an HMAC.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(Base32Decode(base32Key), counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000;
        return value.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().Where(c => c != '=' && c != ' '))
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
