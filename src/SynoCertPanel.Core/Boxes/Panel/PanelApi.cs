using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Boxes.Panel;

/// <summary>
/// The calls of another panel's /api/v1 with a bearer token, over one <see cref="BoxTlsClient"/>: each answer is its JSON,
/// or the problem with the other panel's own sentence (its problem+json <c>detail</c>) and the step that failed.
/// </summary>
internal sealed class PanelApi(BoxTlsClient client, string token)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Host => client.Host;

    public async Task<PanelAnswer> SendAsync(HttpMethod method, string path, object? body, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        }

        var call = await client.SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        if (call.Problem is { } problem)
        {
            return new PanelAnswer(default, problem);
        }

        var answer = call.Answer!;
        return answer.IsSuccess && answer.Json is { ValueKind: JsonValueKind.Object } json
            ? new PanelAnswer(json, null)
            : new PanelAnswer(default, Judge(answer, what));
    }

    /// <summary>What a refusal means for the operator, with the other panel's sentence.</summary>
    internal BoxProblem Judge(BoxAnswer answer, string what)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var status = (int)answer.Status;
        var detail = Detail(answer);
        var said = detail is null ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}") : $"\"{detail}\"";
        return status switch
        {
            >= 200 and < 300 => new(DeliveryFailure.Protocol,
                $"The panel at {Host} answered {what} with something other than its API's JSON; check that the address is a SynoCertPanel's."),
            401 => new(DeliveryFailure.Login,
                $"The panel at {Host} refused the API token: {said}. Check the token file, and that the token has not expired or been revoked there."),
            403 => new(DeliveryFailure.Permission,
                $"The panel at {Host} refused {what}: {said}. The token needs the scopes {PanelOptions.Scopes}."),
            404 when detail is null => new(DeliveryFailure.Settings,
                $"There is no SynoCertPanel API at {Host} (HTTP 404 for {what}); check the address, and that the panel there is a version with /api/v1."),
            429 => new(DeliveryFailure.Protocol,
                $"The panel at {Host} limits this token's calls and asked to wait (HTTP 429 for {what}); deploy again in a minute."),
            400 or 404 or 409 or 413 or 415 => new(DeliveryFailure.Write, $"The panel at {Host} refused {what}: {said}."),
            _ => new(DeliveryFailure.Protocol, $"The panel at {Host} answered {what} with {said}."),
        };
    }

    /// <summary>The problem document's sentence, as the other panel's page would show it.</summary>
    private static string? Detail(BoxAnswer answer) =>
        answer.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
            && detail.GetString()!.Trim() is { Length: > 0 } text
            ? Display.Literal(text, 300)
            : null;
}

/// <summary>A successful answer's JSON object, or the problem; readers return null for a field that is missing or of another type.</summary>
internal readonly record struct PanelAnswer(JsonElement Json, BoxProblem? Problem)
{
    public int? Number(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    public string? Text(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public bool? Flag(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public IEnumerable<JsonElement> Items(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];
}
