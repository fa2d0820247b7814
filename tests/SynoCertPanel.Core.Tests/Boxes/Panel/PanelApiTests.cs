using System.Net;
using System.Text.Json;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Panel;

namespace SynoCertPanel.Core.Tests.Boxes.Panel;

/// <summary>How each answer of another panel's API is read: the step that failed, with that panel's own sentence.</summary>
public sealed class PanelApiTests : IDisposable
{
    private readonly BoxTlsClient _client;
    private readonly PanelApi _api;

    public PanelApiTests()
    {
        var url = new Uri("https://nas2.home.arpa:8443");
        var target = new DeliveryTarget("nas2", ["nas2.home.arpa"], new Dictionary<string, string>(), new Dictionary<string, string>());
        _client = new BoxTlsClient(url, BoxTlsTrust.From(target, url, TimeProvider.System).Value, BoxTlsLimits.Standard, TimeProvider.System);
        _api = new PanelApi(_client, "scp_1_x");
    }

    public void Dispose() => _client.Dispose();

    private static BoxAnswer Answer(HttpStatusCode status, string? body) =>
        new(status, null, body is null ? null : JsonDocument.Parse(body).RootElement.Clone());

    private static string Problem(int status, string detail) => JsonSerializer.Serialize(new { type = "about:blank", title = "t", status, detail });

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, DeliveryFailure.Login, "refused the API token: \"This token has been revoked.\"")]
    [InlineData(HttpStatusCode.Forbidden, DeliveryFailure.Permission, "refused the import: \"This token has been revoked.\". The token needs the scopes certificates:read and certificates:write.")]
    [InlineData(HttpStatusCode.Conflict, DeliveryFailure.Write, "refused the import: \"This token has been revoked.\".")]
    [InlineData(HttpStatusCode.BadRequest, DeliveryFailure.Write, "refused the import: \"This token has been revoked.\".")]
    [InlineData(HttpStatusCode.NotFound, DeliveryFailure.Write, "refused the import: \"This token has been revoked.\".")]
    [InlineData(HttpStatusCode.TooManyRequests, DeliveryFailure.Protocol, "asked to wait (HTTP 429 for the import)")]
    [InlineData(HttpStatusCode.InternalServerError, DeliveryFailure.Protocol, "answered the import with \"This token has been revoked.\".")]
    public void Judge_ProblemDocument_GivesTheStepAndThePanelsSentence(HttpStatusCode status, DeliveryFailure failure, string sentence)
    {
        var problem = _api.Judge(Answer(status, Problem((int)status, "This token has been revoked.")), "the import");

        Assert.Equal(failure, problem.Failure);
        Assert.StartsWith("The panel at nas2.home.arpa:8443 ", problem.Sentence, StringComparison.Ordinal);
        Assert.Contains(sentence, problem.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_NotFoundWithoutProblem_IsNoPanelApiThere()
    {
        var problem = _api.Judge(Answer(HttpStatusCode.NotFound, null), "the certificate list");

        Assert.Equal(DeliveryFailure.Settings, problem.Failure);
        Assert.StartsWith("There is no SynoCertPanel API at nas2.home.arpa:8443", problem.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_SuccessThatIsNotJson_IsAProtocolProblem()
    {
        var problem = _api.Judge(Answer(HttpStatusCode.OK, "[1, 2]"), "the certificate list");

        Assert.Equal(DeliveryFailure.Protocol, problem.Failure);
        Assert.Contains("something other than its API's JSON", problem.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_HostileDetail_IsShownAsALiteral_AndCut()
    {
        var detail = "line one\nline two\u001b[31m" + new string('x', 500);

        var problem = _api.Judge(Answer(HttpStatusCode.BadRequest, Problem(400, detail)), "the import");

        Assert.DoesNotContain('\n', problem.Sentence);
        Assert.DoesNotContain('\u001b', problem.Sentence);
        Assert.True(problem.Sentence.Length < 450, problem.Sentence);
    }
}
