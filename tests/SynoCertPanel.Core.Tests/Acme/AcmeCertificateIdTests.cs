using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Core.Tests.Acme;

public sealed class AcmeCertificateIdTests
{
    // RFC 9773 §4.1's worked example: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4,
    // serial 00:87:65:43:21 (the leading zero keeps the positive serial from reading as negative).
    private const string RfcExample = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";

    [Fact]
    public void Parse_Rfc9773Example_ReadsKeyIdentifierAndSerialAndWritesItBack()
    {
        var id = AcmeCertificateId.Parse(RfcExample);

        Assert.True(id.IsSuccess, id.Problem?.Detail);
        Assert.Equal(Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4"), id.Value.KeyIdentifier);
        Assert.Equal("87654321", id.Value.SerialNumberHex);
        Assert.Equal(RfcExample, id.Value.ToString());
    }

    [Theory]
    [InlineData(null, "base64url")]
    [InlineData("", "base64url")]
    [InlineData("aYhba4dGQEHhs3uEe6CuLN4ByNQ", "base64url")]
    [InlineData("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE.AA", "base64url")]
    [InlineData(".AIdlQyE", "base64url")]
    [InlineData("aYhba4dGQEHhs3uEe6CuLN4ByNQ.", "base64url")]
    [InlineData("aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE", "base64url")]
    [InlineData("aYhba4dGQEHhs3uEe6CuLN4ByNQ.h2VDIQ", "positive integer")]
    [InlineData("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AAFlQyE", "positive integer")]
    public void Parse_NotAnId_IsMalformedWithTheReason(string? text, string expected)
    {
        var id = AcmeCertificateId.Parse(text);

        Assert.False(id.IsSuccess);
        Assert.Equal("urn:ietf:params:acme:error:malformed", id.Problem!.Type);
        Assert.Contains(expected, id.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongerThanAnyRealId_IsRefusedUnread()
    {
        var id = AcmeCertificateId.Parse(new string('A', AcmeCertificateId.MaxLength) + ".AQ");

        Assert.False(id.IsSuccess);
    }
}
