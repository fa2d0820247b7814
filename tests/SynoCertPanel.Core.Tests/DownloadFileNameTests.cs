using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Core.Tests;

public sealed class DownloadFileNameTests
{
    [Theory]
    [InlineData("Lab Root CA", "Lab_Root_CA")]
    [InlineData("NAS 1 / main", "NAS_1_main")]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("..\\..\\Windows\\system.ini", "Windows_system.ini")]
    [InlineData("Home \"Root\" 'CA'", "Home_Root_CA")]
    [InlineData("a\r\nContent-Type: text/html", "a_Content-Type_text_html")]
    [InlineData("Büro Zürich CA", "Buro_Zurich_CA")]
    [InlineData("files.lab.internal", "files.lab.internal")]
    [InlineData("-rf *", "rf")]
    [InlineData(".hidden", "hidden")]
    [InlineData("...", "certificate")]
    [InlineData("名前", "certificate")]
    [InlineData("🔒", "certificate")]
    [InlineData("", "certificate")]
    [InlineData("   ", "certificate")]
    [InlineData(null, "certificate")]
    public void Base_HostileText_KeepsOnlySafeCharacters(string? text, string expected) =>
        Assert.Equal(expected, DownloadFileName.Base(text));

    [Fact]
    public void Base_LongText_Capped() =>
        Assert.Equal(DownloadFileName.MaxLength, DownloadFileName.Base(new string('a', 500)).Length);

    [Fact]
    public void For_Extension_AppendedToTheBaseName() =>
        Assert.Equal("Lab_Root_CA.crt", DownloadFileName.For("Lab Root CA", ".crt"));

    [Theory]
    [InlineData("", "root-ca")]
    [InlineData("/", "root-ca")]
    public void Base_NothingLeft_UsesTheFallback(string text, string fallback) =>
        Assert.Equal(fallback, DownloadFileName.Base(text, fallback));

    [Fact]
    public void Base_AnyText_OnlyAsciiLettersDigitsDotUnderscoreDash()
    {
        var every = new string(Enumerable.Range(1, 0x2FF).Select(i => (char)i).ToArray());

        Assert.Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$", DownloadFileName.Base(every));
    }
}
