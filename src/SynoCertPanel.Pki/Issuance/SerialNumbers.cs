using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>
/// Random positive 128-bit serial numbers: at least 64 bits of entropy (CA/B ballot 164), at most
/// 20 octets (RFC 5280 4.1.2.2), positive so no verifier misreads the sign.
/// </summary>
public static class SerialNumbers
{
    public const int Length = 16;

    public static BigInteger NewRandom(Action<Span<byte>>? randomSource = null)
    {
        Span<byte> bytes = stackalloc byte[Length];
        (randomSource ?? RandomNumberGenerator.Fill)(bytes);
        bytes[0] &= 0x7F;
        if (bytes[0] == 0)
        {
            // Keep the full 16 octets so every serial has the same, recognisable length.
            bytes[0] = 0x01;
        }

        return new BigInteger(1, bytes.ToArray());
    }
}
