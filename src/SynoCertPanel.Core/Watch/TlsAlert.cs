using System.Text.RegularExpressions;

namespace SynoCertPanel.Core.Watch;

/// <summary>A TLS alert a server sent, by its description code (RFC 8446 §6, RFC 5246 §7.2).</summary>
public sealed partial record TlsAlert(int Code)
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "close notify",
        [10] = "unexpected message",
        [20] = "bad record mac",
        [22] = "record overflow",
        [40] = "handshake failure",
        [42] = "bad certificate",
        [43] = "unsupported certificate",
        [44] = "certificate revoked",
        [45] = "certificate expired",
        [46] = "certificate unknown",
        [47] = "illegal parameter",
        [48] = "unknown ca",
        [49] = "access denied",
        [50] = "decode error",
        [51] = "decrypt error",
        [70] = "protocol version",
        [71] = "insufficient security",
        [80] = "internal error",
        [86] = "inappropriate fallback",
        [90] = "user canceled",
        [109] = "missing extension",
        [110] = "unsupported extension",
        [112] = "unrecognized name",
        [113] = "bad certificate status response",
        [115] = "unknown psk identity",
        [116] = "certificate required",
        [120] = "no application protocol",
    };

    public string Name => Names.GetValueOrDefault(Code, $"alert {Code}");

    public override string ToString() => Name;

    /// <summary>
    /// The alert inside a plaintext TLS alert record (content type 21), as a server sends it when it refuses
    /// the ClientHello: <c>15 03 0x 00 02 level description</c>.
    /// </summary>
    public static TlsAlert? FromRecord(ReadOnlySpan<byte> record) =>
        record.Length >= 7 && record[0] == 21 && record[1] == 3 && record[3] == 0 && record[4] == 2
            ? new TlsAlert(record[6])
            : null;

    /// <summary>The alert OpenSSL names in its error text ("…:tlsv1 alert unrecognized name"), when it names one.</summary>
    public static TlsAlert? FromOpenSslText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = OpenSslAlert().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value.Trim();
        foreach (var (code, known) in Names)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return new TlsAlert(code);
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?:sslv3|tlsv1|tlsv13) alert (?<name>[a-z ]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenSslAlert();
}
