using System.Net;

namespace SynoCertPanel.Pki.Names;

public enum SanKind
{
    Dns,
    IpAddress,
    Email,
    Uri,
}

/// <summary>
/// One Subject Alternative Name entry. <see cref="Value"/> is what the certificate carries (punycode for
/// internationalised names, the canonical text of an address); <see cref="DisplayValue"/> is what a person
/// reads (the Unicode form of an IDN).
/// </summary>
public sealed record SubjectAlternativeName
{
    private SubjectAlternativeName(SanKind kind, string value, string displayValue)
    {
        Kind = kind;
        Value = value;
        DisplayValue = displayValue;
    }

    public SanKind Kind { get; }

    public string Value { get; }

    public string DisplayValue { get; }

    public bool IsWildcard => Kind == SanKind.Dns && Value.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>Parses what a person typed: a DNS name, an IPv4/IPv6 address, an e-mail address or a URI.
    /// An optional "DNS:", "IP:", "email:" or "URI:" prefix forces the kind.</summary>
    public static Result<SubjectAlternativeName> Parse(string? input) => SanParser.Parse(input);

    public static SubjectAlternativeName Dns(string value) => Require(SanParser.ParseDnsName(value));

    public static SubjectAlternativeName Ip(string value) => Require(SanParser.ParseIpAddress(value));

    public static SubjectAlternativeName Ip(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Require(SanParser.ParseIpAddress(address.ToString()));
    }

    internal static SubjectAlternativeName Create(SanKind kind, string value, string displayValue) =>
        new(kind, value, displayValue);

    private static SubjectAlternativeName Require(Result<SubjectAlternativeName> result) =>
        result.IsSuccess ? result.Value : throw new ArgumentException(result.Error);

    /// <summary>The address bytes of an <see cref="SanKind.IpAddress"/> entry (4 or 16 bytes).</summary>
    public byte[] IpAddressBytes() => Kind == SanKind.IpAddress
        ? IPAddress.Parse(Value).GetAddressBytes()
        : throw new InvalidOperationException("Not an IP address entry.");

    /// <summary>openssl-style text: DNS:nas.home.arpa, IP Address:192.168.1.10, email:…, URI:….</summary>
    public override string ToString() => Kind switch
    {
        SanKind.Dns => $"DNS:{Value}",
        SanKind.IpAddress => $"IP:{Value}",
        SanKind.Email => $"email:{Value}",
        _ => $"URI:{Value}",
    };
}
