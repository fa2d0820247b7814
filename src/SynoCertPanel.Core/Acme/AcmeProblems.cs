using System.Text.Json;
using System.Text.Json.Nodes;

namespace SynoCertPanel.Core.Acme;

/// <summary>Problem documents as JSON: what the endpoints send and what orders and challenges keep of a failure.</summary>
public static class AcmeProblems
{
    public static JsonObject ToJson(AcmeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var json = new JsonObject { ["type"] = problem.Type, ["detail"] = problem.Detail, ["status"] = problem.Status };
        if (problem.Subproblems.Count > 0)
        {
            json["subproblems"] = new JsonArray(problem.Subproblems.Select(s => (JsonNode)new JsonObject
            {
                ["type"] = s.Type,
                ["detail"] = s.Detail,
                ["identifier"] = new JsonObject { ["type"] = s.Identifier.Type, ["value"] = s.Identifier.Value },
            }).ToArray());
        }

        return json;
    }

    public static string Serialize(AcmeProblem problem) => ToJson(problem).ToJsonString();

    /// <summary>The stored problem's sentence, for lists; null when there is none.</summary>
    public static string? DetailOf(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(stored);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return stored;
        }
    }

    public static JsonNode? Parse(string? stored) => string.IsNullOrEmpty(stored) ? null : JsonNode.Parse(stored);
}
