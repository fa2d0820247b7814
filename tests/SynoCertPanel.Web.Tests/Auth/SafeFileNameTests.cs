using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("nas.example.com.pem", "nas.example.com.pem")]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("a\"b\r\nSet-Cookie: x=y.pem", "a_b__Set-Cookie_ x_y.pem")]
    [InlineData("C:\\keys\\server.key", "C__keys_server.key")]
    [InlineData("...", "download")]
    [InlineData("", "download")]
    [InlineData(null, "download")]
    [InlineData("CON.pem", "_CON.pem")]
    [InlineData("Zertifikat für Büro.crt", "Zertifikat für Büro.crt")]
    public void Sanitize_UntrustedName_GivesAPlainFileName(string? name, string expected)
    {
        Assert.Equal(expected, SafeFileName.Sanitize(name));
    }

    [Fact]
    public void Sanitize_VeryLongName_KeepsTheExtension()
    {
        var safe = SafeFileName.Sanitize(new string('a', 300) + ".p12");

        Assert.Equal(SafeFileName.MaxLength, safe.Length);
        Assert.EndsWith(".p12", safe, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentDisposition_NonAsciiName_HasAnAsciiFallbackAndTheUtf8Name()
    {
        var header = SafeFileName.ContentDisposition("Büro \"main\".pem");

        Assert.StartsWith("attachment; filename=", header, StringComparison.Ordinal);
        Assert.Contains("filename*=UTF-8''B%C3%BCro%20_main_.pem", header, StringComparison.Ordinal);
        Assert.DoesNotContain("\"main\"", header, StringComparison.Ordinal);
    }
}
