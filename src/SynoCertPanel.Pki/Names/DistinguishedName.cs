using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace SynoCertPanel.Pki.Names;

/// <summary>
/// A certificate subject or issuer as the certificate page shows it: the common attributes, each optional.
/// Build with <see cref="Create"/>, which checks every field.
/// </summary>
public sealed record DistinguishedName
{
    // Upper bounds from RFC 5280 Appendix A (ub-common-name, ub-organization-name, …).
    public const int MaxCommonName = 64;
    public const int MaxOrganization = 64;
    public const int MaxOrganizationalUnit = 64;
    public const int MaxLocality = 128;
    public const int MaxState = 128;
    public const int MaxEmail = 255;

    public string? CommonName { get; init; }

    public string? Organization { get; init; }

    public string? OrganizationalUnit { get; init; }

    public string? Locality { get; init; }

    public string? State { get; init; }

    /// <summary>Two-letter ISO 3166 country code, upper case.</summary>
    public string? Country { get; init; }

    public string? Email { get; init; }

    public bool IsEmpty => CommonName is null && Organization is null && OrganizationalUnit is null
        && Locality is null && State is null && Country is null && Email is null;

    public static Result<DistinguishedName> Create(string? commonName, string? organization = null,
        string? organizationalUnit = null, string? locality = null, string? state = null, string? country = null,
        string? email = null)
    {
        var fields = new (string Label, string? Value, int Max)[]
        {
            ("Common name", commonName, MaxCommonName),
            ("Organization", organization, MaxOrganization),
            ("Department", organizationalUnit, MaxOrganizationalUnit),
            ("City", locality, MaxLocality),
            ("State/province", state, MaxState),
            ("Email", email, MaxEmail),
        };
        foreach (var (label, value, max) in fields)
        {
            var problem = CheckText(label, value, max);
            if (problem is not null)
            {
                return Result.Failure<DistinguishedName>(problem);
            }
        }

        var countryCode = Normalize(country)?.ToUpperInvariant();
        if (countryCode is not null && (countryCode.Length != 2 || !countryCode.All(char.IsAsciiLetterUpper)))
        {
            return Result.Failure<DistinguishedName>(
                $"Country \"{Display.Literal(country!, 20)}\" must be a two-letter code such as US, DE or JP.");
        }

        var mail = Normalize(email);
        if (mail is not null)
        {
            var parsed = SanParser.ParseEmail(mail);
            if (!parsed.IsSuccess)
            {
                return Result.Failure<DistinguishedName>($"Email: {parsed.Error}");
            }

            mail = parsed.Value.Value;
        }

        return Result.Success(new DistinguishedName
        {
            CommonName = Normalize(commonName),
            Organization = Normalize(organization),
            OrganizationalUnit = Normalize(organizationalUnit),
            Locality = Normalize(locality),
            State = Normalize(state),
            Country = countryCode,
            Email = mail,
        });
    }

    /// <summary>
    /// Parses the one-line form people copy from openssl or a browser: "CN=nas, O=Home, C=DE" or
    /// "/C=DE/O=Home/CN=nas". Recognises CN, O, OU, L, ST, C and emailAddress/E.
    /// </summary>
    public static Result<DistinguishedName> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result.Failure<DistinguishedName>("The subject is empty.");
        }

        if (text.Length > 2048)
        {
            return Result.Failure<DistinguishedName>("The subject is too long.");
        }

        var trimmed = text.Trim();
        var slashForm = trimmed.StartsWith('/');
        var parts = SplitUnescaped(slashForm ? trimmed[1..] : trimmed, slashForm ? '/' : ',');
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return Result.Failure<DistinguishedName>($"\"{Display.Literal(part)}\" is not of the form NAME=value.");
            }

            var key = part[..equals].Trim() switch
            {
                var k when k.Equals("E", StringComparison.OrdinalIgnoreCase) => "emailAddress",
                var k when k.Equals("S", StringComparison.OrdinalIgnoreCase) => "ST",
                var k => k,
            };
            if (!values.TryAdd(key, part[(equals + 1)..].Trim()))
            {
                return Result.Failure<DistinguishedName>($"The subject names {Display.Literal(key, 20)} twice.");
            }
        }

        var known = new HashSet<string>(["CN", "O", "OU", "L", "ST", "C", "emailAddress"], StringComparer.OrdinalIgnoreCase);
        var unknown = values.Keys.FirstOrDefault(k => !known.Contains(k));
        if (unknown is not null)
        {
            return Result.Failure<DistinguishedName>(
                $"The attribute \"{Display.Literal(unknown, 20)}\" is not supported: use CN, O, OU, L, ST, C or emailAddress.");
        }

        return Create(values.GetValueOrDefault("CN"), values.GetValueOrDefault("O"), values.GetValueOrDefault("OU"),
            values.GetValueOrDefault("L"), values.GetValueOrDefault("ST"), values.GetValueOrDefault("C"),
            values.GetValueOrDefault("emailAddress"));
    }

    /// <summary>RFC 4514-style text, most significant last as openssl prints it: "CN=nas, O=Home, C=DE".</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        void Add(string key, string? value)
        {
            if (value is null)
            {
                return;
            }

            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(key).Append('=').Append(Escape(value));
        }

        Add("CN", CommonName);
        Add("OU", OrganizationalUnit);
        Add("O", Organization);
        Add("L", Locality);
        Add("ST", State);
        Add("C", Country);
        Add("E", Email);
        return builder.ToString();
    }

    internal X509Name ToX509Name()
    {
        // Most significant first in the encoding (C, ST, L, O, OU, CN), as openssl and browsers expect.
        var oids = new List<DerObjectIdentifier>();
        var values = new List<string>();
        void Add(DerObjectIdentifier oid, string? value)
        {
            if (value is not null)
            {
                oids.Add(oid);
                values.Add(value);
            }
        }

        Add(X509Name.C, Country);
        Add(X509Name.ST, State);
        Add(X509Name.L, Locality);
        Add(X509Name.O, Organization);
        Add(X509Name.OU, OrganizationalUnit);
        Add(X509Name.CN, CommonName);
        Add(X509Name.EmailAddress, Email);
        return new X509Name(oids, values, LiteralEntryConverter.Instance);
    }

    /// <summary>
    /// Encodes each value as the text it is. BouncyCastle's default converter reads a value starting with
    /// "#" as hex-encoded DER and drops a leading backslash, so "#1 Lab" would throw and a value starting with a backslash lose it.
    /// </summary>
    private sealed class LiteralEntryConverter : X509NameEntryConverter
    {
        public static readonly LiteralEntryConverter Instance = new();

        public override Asn1Object GetConvertedValue(DerObjectIdentifier oid, string value)
        {
            if (oid.Equals(X509Name.C))
            {
                return new DerPrintableString(value);
            }

            return oid.Equals(X509Name.EmailAddress) ? new DerIA5String(value) : new DerUtf8String(value);
        }
    }

    /// <summary>
    /// The common name in a subject or issuer text as the engine writes it (<see cref="Certificates.Certificate.IssuerText"/>:
    /// "O=Home Lab,CN=Home Lab Root CA" gives "Home Lab Root CA"), the most specific one when there are several; null when
    /// it has none. Attributes are separated by commas (or "+" inside one name part); a special character inside a value is
    /// escaped with a backslash. Tolerant where <see cref="Parse"/> is strict: it reads names of any length and any
    /// attribute, as imported certificates carry them, and never fails.
    /// </summary>
    public static string? CommonNameOf(string distinguishedName)
    {
        ArgumentNullException.ThrowIfNull(distinguishedName);
        string? commonName = null;
        var value = new System.Text.StringBuilder();
        var attribute = new System.Text.StringBuilder();
        var inValue = false;
        for (var i = 0; i <= distinguishedName.Length; i++)
        {
            var c = i < distinguishedName.Length ? distinguishedName[i] : ',';
            if (c == '\\' && i + 1 < distinguishedName.Length)
            {
                (inValue ? value : attribute).Append(distinguishedName[++i]);
            }
            else if (c == ',' || c == '+')
            {
                if (inValue && attribute.ToString().Trim().Equals("CN", StringComparison.OrdinalIgnoreCase))
                {
                    commonName = value.ToString().Trim();
                }

                attribute.Clear();
                value.Clear();
                inValue = false;
            }
            else if (c == '=' && !inValue)
            {
                inValue = true;
            }
            else
            {
                (inValue ? value : attribute).Append(c);
            }
        }

        return string.IsNullOrEmpty(commonName) ? null : commonName;
    }

    internal static DistinguishedName FromX509Name(X509Name name)
    {
        // Read the encoded strings themselves: X509Name.GetValueList prefixes a value starting with "#"
        // with a backslash (its own text escaping), which would change the name on every round trip.
        var attributes = Asn1Sequence.GetInstance(name.ToAsn1Object())
            .SelectMany(rdn => Asn1Set.GetInstance(rdn).Cast<Asn1Encodable>().Select(Org.BouncyCastle.Asn1.X500.AttributeTypeAndValue.GetInstance))
            .ToList();
        string? First(DerObjectIdentifier oid) =>
            attributes.Where(a => a.Type.Equals(oid)).Select(a => (a.Value as IAsn1String)?.GetString()).FirstOrDefault(v => v is not null);

        return new DistinguishedName
        {
            CommonName = First(X509Name.CN),
            Organization = First(X509Name.O),
            OrganizationalUnit = First(X509Name.OU),
            Locality = First(X509Name.L),
            State = First(X509Name.ST),
            Country = First(X509Name.C),
            Email = First(X509Name.EmailAddress),
        };
    }

    private static string? CheckText(string label, string? value, int max)
    {
        var text = Normalize(value);
        if (text is null)
        {
            return null;
        }

        if (SanParser.ContainsControl(text))
        {
            return $"{label} \"{Display.Literal(text)}\" contains a control character (line break, tab or NUL).";
        }

        return text.Length > max ? $"{label} is {text.Length} characters long; at most {max} are allowed." : null;
    }

    private static string? Normalize(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Normalize(NormalizationForm.FormC);
    }

    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '=' || (i == 0 && c is '#' or ' ')
                || (i == value.Length - 1 && c == ' '))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static List<string> SplitUnescaped(string text, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (text[i] == separator)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        parts.Add(current.ToString());
        return parts.Where(p => p.Trim().Length > 0).ToList();
    }
}
