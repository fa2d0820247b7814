using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SynoCertPanel.Pki.Names;

/// <summary>
/// Turns typed text into Subject Alternative Names, refusing anything a browser would reject or that
/// could mislead a person, with a message that names the entry.
/// </summary>
public static class SanParser
{
    /// <summary>RFC 1035: 253 characters in presentation form.</summary>
    public const int MaxDnsNameLength = 253;

    public const int MaxLabelLength = 63;

    public const int MaxUriLength = 2048;

    public const int MaxEmailLength = 254;

    /// <summary>More entries than any real server needs; also keeps certificates small.</summary>
    public const int MaxEntries = 100;

    private const int MaxInputLength = 4096;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static Result<SubjectAlternativeName> Parse(string? input)
    {
        if (input is null)
        {
            return Fail(string.Empty, "is empty");
        }

        if (input.Length > MaxInputLength)
        {
            return Fail(input, $"is too long ({input.Length} characters)");
        }

        var text = input.Trim();
        if (text.Length == 0)
        {
            return Fail(input, "is empty");
        }

        if (ContainsControl(text))
        {
            return Fail(text, "contains a control character (line break, tab or NUL)");
        }

        if (TryStripPrefix(text, out var prefixed, "DNS:"))
        {
            return ParseDnsName(prefixed);
        }

        if (TryStripPrefix(text, out prefixed, "IP:", "IP Address:"))
        {
            return ParseIpAddress(prefixed);
        }

        if (TryStripPrefix(text, out prefixed, "email:"))
        {
            return ParseEmail(prefixed);
        }

        if (TryStripPrefix(text, out prefixed, "URI:"))
        {
            return ParseUri(prefixed);
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return ParseUri(text);
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            return ParseEmail(text);
        }

        if (text.Contains(':', StringComparison.Ordinal) || LooksLikeIPv4(text))
        {
            return ParseIpAddress(text);
        }

        return ParseDnsName(text);
    }

    /// <summary>Parses a list typed as one text: entries separated by commas, semicolons, spaces or lines.</summary>
    public static Result<IReadOnlyList<SubjectAlternativeName>> ParseList(string? input)
    {
        if (input is not null && input.Length > MaxInputLength * 8)
        {
            return Result.Failure<IReadOnlyList<SubjectAlternativeName>>(
                $"The list of names is too long ({input.Length} characters).");
        }

        var parts = (input ?? string.Empty).Split([',', ';', ' ', '\t', '\r', '\n'],
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ParseAll(parts);
    }

    /// <summary>Parses each entry; duplicates are dropped, the first error is returned.</summary>
    public static Result<IReadOnlyList<SubjectAlternativeName>> ParseAll(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var result = new List<SubjectAlternativeName>();
        foreach (var entry in entries)
        {
            var parsed = Parse(entry);
            if (!parsed.IsSuccess)
            {
                return Result.Failure<IReadOnlyList<SubjectAlternativeName>>(parsed.Error!);
            }

            if (!result.Contains(parsed.Value))
            {
                result.Add(parsed.Value);
            }

            if (result.Count > MaxEntries)
            {
                return Result.Failure<IReadOnlyList<SubjectAlternativeName>>(
                    $"Too many names: at most {MaxEntries} entries fit in one certificate.");
            }
        }

        return Result.Success<IReadOnlyList<SubjectAlternativeName>>(result);
    }

    public static Result<SubjectAlternativeName> ParseDnsName(string input) =>
        ParseHostName(input, allowWildcard: true).Map(n => SubjectAlternativeName.Create(SanKind.Dns, n.Ascii, n.Unicode));

    internal readonly record struct HostName(string Ascii, string Unicode);

    internal static Result<HostName> ParseHostName(string input, bool allowWildcard)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = input.Trim();
        if (text.Length == 0)
        {
            return Fail<HostName>(input, "is empty");
        }

        if (text.Length > MaxInputLength)
        {
            return Fail<HostName>(text, $"is too long ({text.Length} characters)");
        }

        if (ContainsControl(text))
        {
            return Fail<HostName>(text, "contains a control character (line break, tab or NUL)");
        }

        if (text.EndsWith('.') && text.Length > 1)
        {
            text = text[..^1];
        }

        var wildcard = false;
        var rest = text;
        if (text.StartsWith("*.", StringComparison.Ordinal))
        {
            wildcard = true;
            rest = text[2..];
        }

        if (rest.Contains('*', StringComparison.Ordinal) || text == "*")
        {
            return Fail<HostName>(text, "has a wildcard in the wrong place: a wildcard may only be the whole left-most label, as in *.nas.home.arpa");
        }

        if (wildcard && !allowWildcard)
        {
            return Fail<HostName>(text, "is a wildcard, which is not allowed here");
        }

        if (rest.Length == 0 || rest.StartsWith('.') || rest.Contains("..", StringComparison.Ordinal))
        {
            return Fail<HostName>(text, "has an empty label (two dots in a row, or a leading dot)");
        }

        if (rest.Any(c => c is ' ' or '_' or '/' or '\\' or '@' or ':' or '%'))
        {
            return Fail<HostName>(text, "contains a character that is not allowed in a host name (only letters, digits, hyphens and dots are)");
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(rest).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return Fail<HostName>(text, "is not a valid host name (letters, digits and hyphens; labels may not start or end with a hyphen)");
        }

        var labels = ascii.Split('.');
        foreach (var label in labels)
        {
            if (label.Length > MaxLabelLength)
            {
                return Fail<HostName>(text, $"has a label longer than {MaxLabelLength} characters");
            }

            if (label.StartsWith('-') || label.EndsWith('-'))
            {
                return Fail<HostName>(text, "has a label that starts or ends with a hyphen");
            }

            if (!label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return Fail<HostName>(text, "is not a valid host name (letters, digits and hyphens only)");
            }
        }

        var fullLength = ascii.Length + (wildcard ? 2 : 0);
        if (fullLength > MaxDnsNameLength)
        {
            return Fail<HostName>(text, $"is longer than {MaxDnsNameLength} characters");
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return Fail<HostName>(text, "ends in an all-numeric label: it is neither a host name nor a valid IP address");
        }

        if (wildcard && labels.Length < 2)
        {
            return Fail<HostName>(text, "is a wildcard directly under a top-level domain, which browsers refuse; use one like *.nas.home.arpa");
        }

        string unicode;
        try
        {
            unicode = Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return Fail<HostName>(text, "contains an invalid internationalised (xn--) label");
        }

        foreach (var label in unicode.Split('.'))
        {
            if (Homographs.MixesScripts(label))
            {
                return Fail<HostName>(text, "mixes Latin, Greek or Cyrillic letters in one label, a way to make look-alike names");
            }
        }

        var prefix = wildcard ? "*." : string.Empty;
        return Result.Success(new HostName(prefix + ascii, prefix + unicode));
    }

    public static Result<SubjectAlternativeName> ParseIpAddress(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = input.Trim();
        if (ContainsControl(text))
        {
            return Fail(text, "contains a control character (line break, tab or NUL)");
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            var inner = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
            if (inner.Contains('%', StringComparison.Ordinal))
            {
                return Fail(text, "has a zone index (%…), which a certificate cannot carry");
            }

            if (inner.Length > 45 || !inner.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
                || !IPAddress.TryParse(inner, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return Fail(text, "is not a valid IPv6 address");
            }

            var canonical = v6.ToString();
            return Result.Success(SubjectAlternativeName.Create(SanKind.IpAddress, canonical, canonical));
        }

        var octets = text.Split('.');
        if (octets.Length != 4 || octets.Any(o => o.Length is 0 or > 3 || !o.All(char.IsAsciiDigit)))
        {
            return Fail(text, "is not a valid IPv4 address (four numbers 0–255 separated by dots)");
        }

        if (octets.Any(o => o.Length > 1 && o[0] == '0'))
        {
            return Fail(text, "has a number with a leading zero, which some systems read as octal; write it without");
        }

        if (octets.Any(o => int.Parse(o, CultureInfo.InvariantCulture) > 255))
        {
            return Fail(text, "is not a valid IPv4 address: each number must be between 0 and 255");
        }

        return Result.Success(SubjectAlternativeName.Create(SanKind.IpAddress, text, text));
    }

    public static Result<SubjectAlternativeName> ParseEmail(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = input.Trim();
        if (ContainsControl(text))
        {
            return Fail(text, "contains a control character (line break, tab or NUL)");
        }

        if (text.Length > MaxEmailLength)
        {
            return Fail(text, $"is longer than {MaxEmailLength} characters");
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return Fail(text, "is not a valid e-mail address (name@domain)");
        }

        var local = text[..at];
        if (local.Length > 64 || !local.All(c => c is > ' ' and < (char)127 and not '@' and not '"' and not '(' and not ')'
            and not ',' and not ':' and not ';' and not '<' and not '>' and not '[' and not ']' and not '\\'))
        {
            return Fail(text, "has a name part that is not plain ASCII (letters, digits and . _ % + - are fine)");
        }

        var domain = ParseHostName(text[(at + 1)..], allowWildcard: false);
        if (!domain.IsSuccess)
        {
            return Fail(text, "has an invalid domain part");
        }

        var value = $"{local}@{domain.Value.Ascii}";
        return Result.Success(SubjectAlternativeName.Create(SanKind.Email, value, $"{local}@{domain.Value.Unicode}"));
    }

    public static Result<SubjectAlternativeName> ParseUri(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = input.Trim();
        if (ContainsControl(text) || text.Any(char.IsWhiteSpace))
        {
            return Fail(text, "contains a space or control character");
        }

        if (text.Length > MaxUriLength)
        {
            return Fail(text, $"is longer than {MaxUriLength} characters");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme.Length == 0
            || !text.All(c => c is > ' ' and < (char)127))
        {
            return Fail(text, "is not a valid absolute URI in ASCII (like https://nas.home.arpa/ or spiffe://home/nas)");
        }

        return Result.Success(SubjectAlternativeName.Create(SanKind.Uri, text, text));
    }

    private static bool LooksLikeIPv4(string text) =>
        text.All(c => char.IsAsciiDigit(c) || c == '.') && text.Contains('.', StringComparison.Ordinal);

    private static bool TryStripPrefix(string text, out string rest, params string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                rest = text[prefix.Length..].Trim();
                return true;
            }
        }

        rest = text;
        return false;
    }

    internal static bool ContainsControl(string text) =>
        text.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    private static Result<SubjectAlternativeName> Fail(string entry, string reason) => Fail<SubjectAlternativeName>(entry, reason);

    private static Result<T> Fail<T>(string entry, string reason) =>
        Result.Failure<T>($"\"{Display.Literal(entry)}\" {reason}.");
}
