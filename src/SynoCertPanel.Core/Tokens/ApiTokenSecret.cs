using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace SynoCertPanel.Core.Tokens;

/// <summary>
/// The text of a token: <c>scp_ID_SECRET</c>, the secret being 32 random bytes in unpadded base64url. The prefix lets
/// a leaked token be found by grep or a secret scanner (GitHub's scanning looks for such prefixes:
/// github.blog/2021-04-05-behind-githubs-new-authentication-token-formats); the id finds the row without a search.
/// </summary>
public static class ApiTokenSecret
{
    public const string Prefix = "scp_";

    /// <summary>256 bits: far past guessing, which is why a plain SHA-256 (no salt, no slow hash) is the right thing to store.</summary>
    public const int SecretBytes = 32;

    /// <summary>The longest text a token can be (prefix, an int id, '_', 43 characters): anything longer is refused unread.</summary>
    public const int MaxLength = 4 + 10 + 1 + 43;

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public static byte[] Hash(ReadOnlySpan<byte> secret) => SHA256.HashData(secret);

    public static string Format(int id, ReadOnlySpan<byte> secret) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{id}_{Base64Url.EncodeToString(secret)}");

    /// <summary>The id and secret of a token's text, or null when it is not one in this format (no database read needed to tell).</summary>
    public static (int Id, byte[] Secret)? Parse(string? text)
    {
        if (text is null || text.Length > MaxLength || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = text.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        // Digits only and no leading zero: one text per token, so a grep for a leaked one finds every copy.
        if (separator is < 1 or > 10 || rest[..separator].ContainsAnyExceptInRange('0', '9') || rest[0] == '0'
            || !int.TryParse(rest[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            return null;
        }

        var encoded = rest[(separator + 1)..];
        var secret = new byte[SecretBytes];
        return Base64Url.DecodeFromChars(encoded, secret, out var read, out var written) is System.Buffers.OperationStatus.Done
            && read == encoded.Length && written == SecretBytes && Base64Url.EncodeToString(secret).AsSpan().SequenceEqual(encoded)
            ? (id, secret)
            : null;
    }
}
