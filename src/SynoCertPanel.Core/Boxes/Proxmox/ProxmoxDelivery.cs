using System.Globalization;
using System.Net;
using System.Text.Json;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Boxes.Proxmox;

/// <summary>
/// Proxmox VE and Backup Server: the node's custom certificate uploaded through the API with an API token, and the
/// proxy restarted to serve it (the call the web interface's "Upload Custom Certificate" makes).
/// </summary>
public sealed class ProxmoxDelivery : IBoxDelivery
{
    private readonly TimeProvider _time;
    private readonly BoxTlsLimits _limits;

    public ProxmoxDelivery(TimeProvider time)
        : this(time, BoxTlsLimits.Standard)
    {
    }

    internal ProxmoxDelivery(TimeProvider time, BoxTlsLimits limits)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _limits = limits;
    }

    public DeliveryKind Kind => DeliveryKind.Proxmox;

    public IReadOnlyList<DeliveryOption> Options => ProxmoxOptions.All;

    /// <summary>Reads the node's certificate list (read-only); uploading needs Sys.Modify, which only a deploy shows.</summary>
    public Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken) =>
        RunAsync(target, null, cancellationToken);

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return RunAsync(target, bundle, cancellationToken);
    }

    /// <summary>The previous certificate uploaded again.</summary>
    public Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken) =>
        previous is null
            ? Task.FromResult(DeliveryOutcome.Failed(DeliveryFailure.Settings,
                $"The certificate {target?.BoxName} had before is not held in this panel, so it cannot be put back; nothing was changed on the box. Deploy a certificate held here to replace the one it serves."))
            : RunAsync(target, previous, cancellationToken);

    private async Task<DeliveryOutcome> RunAsync(DeliveryTarget target, DeliveryBundle? bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var settings = ProxmoxSettings.From(target);
        if (!settings.IsSuccess)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, settings.Error!);
        }

        var trust = BoxTlsTrust.From(target, settings.Value.Url, _time);
        if (!trust.IsSuccess)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, trust.Error!);
        }

        var s = settings.Value;
        var path = $"api2/json/nodes/{s.Node}/certificates/";
        using var client = new BoxTlsClient(s.Url, trust.Value, _limits, _time);
        using var request = bundle is null
            ? new HttpRequestMessage(HttpMethod.Get, path + "info")
            : new HttpRequestMessage(HttpMethod.Post, path + "custom")
            {
                Content = new FormUrlEncodedContent(
                [
                    new("certificates", bundle.FullChainPem),
                    new("key", bundle.PrivateKeyPem),
                    new("restart", "1"),
                    new("force", "1"),
                ]),
            };
        request.Headers.TryAddWithoutValidation("Authorization", s.Authorization);
        var what = bundle is null ? "the certificate info query" : "the certificate upload";
        var call = await client.SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        var steps = new List<string>();
        if (call.Answer is not null)
        {
            steps.Add(trust.Value.Describe());
        }

        var problem = call.Problem ?? Judge(call.Answer!, s, what, bundle is not null);
        var learned = new Dictionary<string, string>(StringComparer.Ordinal);
        // After the restart the proxy shows the delivered certificate on this very port: pinned too.
        if (trust.Value.LearnedPin(problem is null ? bundle?.Sha256Fingerprint : null) is { } pin)
        {
            learned[BoxTls.FingerprintOption] = pin;
        }

        if (problem is not null)
        {
            return DeliveryOutcome.Failed(problem.Failure, problem.Sentence, steps, learned);
        }

        var data = call.Answer!.Json!.Value.GetProperty("data");
        if (bundle is null)
        {
            var files = data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray().Select(Describe).Where(d => d is not null).ToList()
                : [];
            steps.Add(files.Count == 0 ? $"Node {s.Node} listed no certificates." : $"Node {s.Node} has {string.Join("; ", files)}.");
            return DeliveryOutcome.Success(
                $"The token {s.TokenId} reads node {s.Node}'s certificates; nothing was changed. Uploading needs Sys.Modify, which only a deploy shows.", steps, learned);
        }

        steps.Add($"Uploaded the certificate and key to node {s.Node} as its custom certificate; the proxy restarts to serve it.");
        return DeliveryOutcome.Success($"Node {s.Node} of {target.BoxName} holds the certificate now and its proxy restarts to serve it.", steps, learned);
    }

    private static BoxProblem? Judge(BoxAnswer answer, ProxmoxSettings s, string what, bool writing)
    {
        var message = Message(answer);
        var status = ((int)answer.Status).ToString(CultureInfo.InvariantCulture);
        return answer.Status switch
        {
            HttpStatusCode.OK when answer.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("data", out _) => null,
            HttpStatusCode.OK => new(DeliveryFailure.Protocol, $"The box at {BoxTls.HostAndPort(s.Url)} answered {what} with something other than Proxmox's JSON; check that the URL is the Proxmox API's (port 8006, or 8007 for a Backup Server)."),
            HttpStatusCode.Unauthorized => new(DeliveryFailure.Login, $"Proxmox refused the API token {s.TokenId} (HTTP 401{message}); check the token id and its secret, and that the token has not expired or been removed."),
            HttpStatusCode.Forbidden => new(DeliveryFailure.Permission, writing
                ? $"The token {s.TokenId} may not change node {s.Node}'s certificate (HTTP 403{message}): give it Sys.Modify on /nodes/{s.Node} (with privilege separation, to the token itself)."
                : $"The token {s.TokenId} may not read node {s.Node}'s certificates (HTTP 403{message}): give it Sys.Audit and Sys.Modify on /nodes/{s.Node} (with privilege separation, to the token itself)."),
            HttpStatusCode.InternalServerError when writing && message.Length > 0 => new(DeliveryFailure.Write, $"Proxmox could not install the certificate on node {s.Node} (HTTP 500{message}); the one it had stays."),
            HttpStatusCode.BadRequest => new(DeliveryFailure.Protocol, $"Proxmox refused {what} as malformed (HTTP 400{message}{Errors(answer)})."),
            HttpStatusCode.NotFound or HttpStatusCode.NotImplemented => new(DeliveryFailure.Settings, $"Proxmox has no such call for node {s.Node} (HTTP {status}{message}); check the node name as the web interface lists it."),
            _ => new(DeliveryFailure.Protocol, $"Proxmox answered {what} with HTTP {status}{message}."),
        };
    }

    /// <summary>Proxmox's reason (in the JSON "message", else the status line), as a quoted tail: ": reason".</summary>
    private static string Message(BoxAnswer answer)
    {
        var text = answer.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()
            : answer.Reason;
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? string.Empty : $": {Display.Literal(text, 200)}";
    }

    private static string Errors(BoxAnswer answer) =>
        answer.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
            ? "; " + Display.Literal(string.Join(", ", e.EnumerateObject().Select(p => $"{p.Name}: {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!.Trim() : p.Value.ToString())}")), 200)
            : string.Empty;

    private static string? Describe(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("filename", out var f) || f.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var fingerprint = item.TryGetProperty("fingerprint", out var p) && p.ValueKind == JsonValueKind.String ? $" ({Display.Literal(p.GetString()!, 100)})" : string.Empty;
        return Display.Literal(f.GetString()!, 60) + fingerprint;
    }
}
