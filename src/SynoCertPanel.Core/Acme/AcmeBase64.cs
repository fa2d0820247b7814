using System.Buffers.Text;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// base64url without padding (RFC 7515 §2), strictly: JWS parts and JWK members with padding, whitespace or the
/// standard alphabet's <c>+</c> and <c>/</c> are refused rather than guessed at.
/// </summary>
public static class AcmeBase64
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        // A length of 1 mod 4 cannot come from any byte string.
        if (text.Length % 4 == 1)
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
