using System.Text.Json.Nodes;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// What an ACME endpoint answers: a status, a JSON resource or problem (or a PEM chain), and the Location and Link
/// headers RFC 8555 asks for. The web layer adds Replay-Nonce and the index link to every answer.
/// </summary>
public sealed record AcmeResponse(int Status, JsonNode? Json)
{
    public const string PemChainType = "application/pem-certificate-chain";

    public string? Location { get; init; }

    /// <summary>Link header values, each already formatted (<c>&lt;url&gt;;rel="up"</c>).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary>The body as text when it is not JSON (the PEM chain).</summary>
    public string? Text { get; init; }

    public string ContentType => Text is not null ? PemChainType : IsProblem ? AcmeProblem.ContentType : "application/json";

    public bool IsProblem { get; init; }

    /// <summary>Seconds a client should wait before polling again (processing orders and challenges).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static AcmeResponse Ok(JsonNode json) => new(200, json);

    public static AcmeResponse Created(JsonNode json, string location) => new(201, json) { Location = location };

    public static AcmeResponse Problem(AcmeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new AcmeResponse(problem.Status, AcmeProblems.ToJson(problem)) { IsProblem = true, RetryAfterSeconds = problem.RetryAfterSeconds };
    }

    public static implicit operator AcmeResponse(AcmeProblem problem) => Problem(problem);

    public static string Link(string url, string rel) => $"<{url}>;rel=\"{rel}\"";
}
