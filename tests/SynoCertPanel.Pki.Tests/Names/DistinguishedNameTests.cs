using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Tests.Names;

public class DistinguishedNameTests
{
    /// <summary>The reader of the engine's own text finds the common name the certificate was made with, whatever it holds.</summary>
    [Theory]
    [InlineData("Home Lab Root CA", "Home Lab")]
    [InlineData("Smith, Jones + Co \"CA\"", "Org, with = signs; and <angles>")]
    [InlineData("#1 Lab CA", "\\backslash org")]
    [InlineData("Zürich Labor CA ✓", null)]
    public void CommonNameOf_IssuerTextOfARealCertificate_GivesTheCommonName(string commonName, string? organization)
    {
        var root = new CertificateIssuer().CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create(commonName, organization).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;

        Assert.Equal(commonName, DistinguishedName.CommonNameOf(root.Certificate.IssuerText));
        Assert.Equal(commonName, DistinguishedName.CommonNameOf(root.Certificate.SubjectText));
    }

    [Theory]
    [InlineData("O=Only An Organisation,C=DE")]
    [InlineData("")]
    [InlineData("CN=")]
    [InlineData("====,,,\\")]
    public void CommonNameOf_TextWithoutACommonName_IsNull(string text) => Assert.Null(DistinguishedName.CommonNameOf(text));

    public static TheoryData<string, string, string> ControlCharacterFields() => new()
    {
        { "Common name", "CN", "nas\r\nO=evil" },
        { "Organization", "O", "Home\0Lab" },
        { "Department", "OU", "IT\tdept" },
        { "City", "L", "Berlin\u202E" },
        { "State/province", "ST", "Bay\u200Bern" },
    };

    [Theory]
    [MemberData(nameof(ControlCharacterFields))]
    public void Create_ControlCharacter_RefusedNamingField(string label, string field, string value)
    {
        var result = field switch
        {
            "CN" => DistinguishedName.Create(value),
            "O" => DistinguishedName.Create("nas", organization: value),
            "OU" => DistinguishedName.Create("nas", organizationalUnit: value),
            "L" => DistinguishedName.Create("nas", locality: value),
            _ => DistinguishedName.Create("nas", state: value),
        };

        Assert.False(result.IsSuccess);
        Assert.StartsWith(label, result.Error, StringComparison.Ordinal);
        Assert.Contains("control character", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error!);
    }

    public static TheoryData<string, int, bool> Lengths() => new()
    {
        { "CN", 64, true },
        { "CN", 65, false },
        { "O", 64, true },
        { "O", 65, false },
        { "OU", 65, false },
        { "L", 128, true },
        { "L", 129, false },
        { "ST", 129, false },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Create_FieldLength_EnforcesRfc5280UpperBound(string field, int length, bool accepted)
    {
        var value = new string('x', length);
        var result = field switch
        {
            "CN" => DistinguishedName.Create(value),
            "O" => DistinguishedName.Create("nas", organization: value),
            "OU" => DistinguishedName.Create("nas", organizationalUnit: value),
            "L" => DistinguishedName.Create("nas", locality: value),
            _ => DistinguishedName.Create("nas", state: value),
        };

        Assert.Equal(accepted, result.IsSuccess);
        if (!accepted)
        {
            Assert.Contains($"is {length} characters long", result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("de", "DE")]
    [InlineData(" JP ", "JP")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Create_CountryCode_NormalisedToUpperCase(string? country, string? expected)
    {
        var result = DistinguishedName.Create("nas", country: country);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(expected, result.Value.Country);
    }

    [Theory]
    [InlineData("DEU")]
    [InlineData("D")]
    [InlineData("D1")]
    [InlineData("Ü?")]
    [InlineData("D\nE")]
    public void Create_BadCountryCode_Refused(string country)
    {
        var result = DistinguishedName.Create("nas", country: country);

        Assert.False(result.IsSuccess);
        Assert.StartsWith("Country", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadEmail_Refused()
    {
        var result = DistinguishedName.Create("nas", email: "not-an-address");

        Assert.False(result.IsSuccess);
        Assert.StartsWith("Email:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BlankFields_BecomeNull()
    {
        var result = DistinguishedName.Create("  ", organization: "");

        Assert.True(result.IsSuccess);
        Assert.True(result.Value.IsEmpty);
    }

    [Theory]
    [InlineData("CN=nas, O=Home, C=DE")]
    [InlineData("/C=DE/O=Home/CN=nas")]
    [InlineData("cn=nas,o=Home,c=de")]
    public void Parse_OpenSslAndRfcForms_ReadTheSameName(string text)
    {
        var result = DistinguishedName.Parse(text);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal("nas", result.Value.CommonName);
        Assert.Equal("Home", result.Value.Organization);
        Assert.Equal("DE", result.Value.Country);
    }

    [Fact]
    public void Parse_EscapedComma_RoundTripsThroughToString()
    {
        var result = DistinguishedName.Parse(@"O=A\, B");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal("A, B", result.Value.Organization);
        Assert.Equal(@"O=A\, B", result.Value.ToString());
        Assert.Equal(result.Value, DistinguishedName.Parse(result.Value.ToString()).Value);
    }

    [Theory]
    [InlineData("Smith, Jones + Co")]
    [InlineData("a=b;c<d>\"e\"")]
    [InlineData(@"back\slash")]
    [InlineData("#hash first")]
    public void ToString_SpecialCharacters_ParseBackToSameName(string organization)
    {
        var name = DistinguishedName.Create("nas", organization).Value;

        var parsed = DistinguishedName.Parse(name.ToString());

        Assert.True(parsed.IsSuccess, parsed.Error);
        Assert.Equal(name, parsed.Value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("nas", "NAME=value")]
    [InlineData("CN=a, CN=b", "twice")]
    [InlineData("CN=a, X=1", "not supported")]
    [InlineData("CN=a\nb", "control character")]
    public void Parse_BadText_RefusedWithReason(string text, string reason)
    {
        var result = DistinguishedName.Parse(text);

        Assert.False(result.IsSuccess);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverLongText_Refused()
    {
        var result = DistinguishedName.Parse("CN=" + new string('a', 3000));

        Assert.False(result.IsSuccess);
        Assert.Contains("too long", result.Error, StringComparison.Ordinal);
    }
}
