using System.Globalization;
using System.Text.Json;

namespace SynoCertPanel.Core.Boxes.Panel;

/// <summary>
/// Another SynoCertPanel, through its /api/v1 with a token: it makes the key and the CSR for the box's names
/// (POST /api/v1/requests), this panel signs the CSR, and the signed certificate is imported there onto the request's key
/// (POST /api/v1/certificates/import) and made its default (POST /api/v1/certificates/{id}/default, which applies it to
/// its listener). The key never leaves the other panel. Its own TLS certificate is pinned or chains to the home CA
/// (<see cref="BoxTlsTrust"/>); after the switch the same port shows the delivered certificate, which is pinned too.
/// </summary>
public sealed class PanelDelivery : IRequestingDelivery
{
    /// <summary>The list is read in pages this large to find the certificate the panel serves (its API's largest page).</summary>
    private const int ListPage = 500;

    /// <summary>20 pages: 10 000 certificates, far past a home lab's; the search stops there rather than reading without end.</summary>
    private const int MaxListPages = 20;

    private readonly TimeProvider _time;
    private readonly BoxTlsLimits _limits;

    public PanelDelivery(TimeProvider time)
        : this(time, BoxTlsLimits.Standard)
    {
    }

    internal PanelDelivery(TimeProvider time, BoxTlsLimits limits)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _limits = limits;
    }

    public DeliveryKind Kind => DeliveryKind.Panel;

    public IReadOnlyList<DeliveryOption> Options => PanelOptions.All;

    /// <summary>
    /// Reads one row of the list (certificates:read), then sends an empty CSR request, which the other panel checks for
    /// certificates:write before it reads the body and then refuses for having no names: both scopes known, nothing made.
    /// </summary>
    public Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken) =>
        CallAsync(target, async (api, steps) =>
        {
            var list = await api.SendAsync(HttpMethod.Get, "api/v1/certificates?limit=1", null, "the certificate list", cancellationToken).ConfigureAwait(false);
            if (list.Problem is { } refused)
            {
                return new Done(refused);
            }

            steps.Add(string.Create(CultureInfo.InvariantCulture, $"The token reads the panel's certificates ({list.Number("total") ?? 0} held there)."));
            var empty = await api.SendAsync(HttpMethod.Post, "api/v1/requests", new { }, "an empty certificate request", cancellationToken).ConfigureAwait(false);
            if (empty.Problem is null)
            {
                return new Done(new BoxProblem(DeliveryFailure.Protocol,
                    $"The panel at {api.Host} accepted a certificate request with no names; that is not how a SynoCertPanel answers. Check the address."));
            }

            // The refusal expected is the body's (a Write with the panel's sentence); any other says what is wrong.
            if (empty.Problem.Failure != DeliveryFailure.Write)
            {
                return new Done(empty.Problem);
            }

            steps.Add("The token may make certificate requests there (an empty one was refused for having no names, so nothing was made).");
            return new Done(null, $"The token reads and may change the certificates of the panel at {api.Host}; nothing was changed.");
        }, cancellationToken);

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken) =>
        Task.FromResult(MakesOwnKey(target));

    public Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken) =>
        Task.FromResult(MakesOwnKey(target));

    public async Task<BoxRequestOutcome> RequestAsync(DeliveryTarget target, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        BoxRequest? made = null;
        var outcome = await CallAsync(target, async (api, steps) =>
        {
            var served = await ServedAsync(api, cancellationToken).ConfigureAwait(false);
            if (served.Problem is { } refused)
            {
                return new Done(refused);
            }

            steps.Add(served.Id is { } id
                ? string.Create(CultureInfo.InvariantCulture, $"The panel serves its certificate {id} now; it is put back if the new one is not served.")
                : "The panel serves no certificate of its inventory now, so a failed deploy has nothing there to put back.");
            var body = new { commonName = names.Count > 0 ? names[0] : null, alternativeNames = names, description = $"{target.BoxName} (signed by another panel)" };
            var request = await api.SendAsync(HttpMethod.Post, "api/v1/requests", body, "the certificate request", cancellationToken).ConfigureAwait(false);
            if (request.Problem is { } problem)
            {
                return new Done(problem);
            }

            var requestId = request.Number("id");
            var csr = request.Text("csrPem");
            if (requestId is null || csr is null)
            {
                return new Done(new BoxProblem(DeliveryFailure.Protocol, $"The panel at {api.Host} answered the certificate request without its id or CSR."));
            }

            made = new BoxRequest(csr, requestId.Value.ToString(CultureInfo.InvariantCulture), served.Id?.ToString(CultureInfo.InvariantCulture));
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"The panel made request {requestId} and its key for {string.Join(", ", names)}."));
            return new Done(null, string.Create(CultureInfo.InvariantCulture, $"The panel at {api.Host} made request {requestId}; its key stays there."));
        }, cancellationToken).ConfigureAwait(false);
        return new BoxRequestOutcome(outcome, outcome.Succeeded ? made : null);
    }

    public Task<DeliveryOutcome> InstallAsync(DeliveryTarget target, BoxRequest request, SignedForBox certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(certificate);
        return CallAsync(target, async (api, steps) =>
        {
            var body = new { certificate = certificate.CertificatePem, chain = certificate.ChainPem, description = certificate.Description };
            var imported = await api.SendAsync(HttpMethod.Post, "api/v1/certificates/import", body, "the import of the signed certificate", cancellationToken)
                .ConfigureAwait(false);
            if (imported.Problem is { } refused)
            {
                return new Done(refused);
            }

            var id = imported.Number("id");
            var completed = imported.Number("completedRequestId")?.ToString(CultureInfo.InvariantCulture);
            if (id is null || imported.Flag("hasPrivateKey") != true || completed != request.Handle)
            {
                return new Done(new BoxProblem(DeliveryFailure.Write, string.Create(CultureInfo.InvariantCulture,
                    $"The panel at {api.Host} imported the certificate{(id is null ? string.Empty : $" as {id}")} but not onto the key of its request {request.Handle}, so it was not made its default; the panel keeps serving what it served.")));
            }

            steps.Add(string.Create(CultureInfo.InvariantCulture, $"The panel imported the certificate as {id}, onto the key of its request {request.Handle}."));
            var applied = await api.SendAsync(HttpMethod.Post, string.Create(CultureInfo.InvariantCulture, $"api/v1/certificates/{id}/default"), new { },
                "making the certificate its default", cancellationToken).ConfigureAwait(false);
            if (applied.Problem is { } problem)
            {
                return new Done(problem);
            }

            steps.Add(string.Create(CultureInfo.InvariantCulture, $"The panel applied certificate {id} to its listener."));
            return new Done(null, string.Create(CultureInfo.InvariantCulture, $"The panel at {api.Host} serves its certificate {id}, signed here."),
                certificate.Sha256Fingerprint);
        }, cancellationToken);
    }

    public Task<DeliveryOutcome> RestoreServedAsync(DeliveryTarget target, BoxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Served is null)
        {
            return Task.FromResult(DeliveryOutcome.Failed(DeliveryFailure.Settings,
                $"The panel {target?.BoxName} served no certificate of its inventory before, so there is nothing to put back; it keeps the new one."));
        }

        return CallAsync(target, async (api, steps) =>
        {
            // What it served before was reached by this very address, so the other panel's check that the certificate
            // names the caller's host is not the question here: it is confirmed.
            var applied = await api.SendAsync(HttpMethod.Post, $"api/v1/certificates/{request.Served}/default", new { confirmed = true },
                "putting back its previous certificate", cancellationToken).ConfigureAwait(false);
            if (applied.Problem is { } problem)
            {
                return new Done(problem);
            }

            steps.Add($"The panel applied its previous certificate {request.Served} to its listener again.");
            var served = BoxTls.Fingerprints(applied.Text("sha256Fingerprint")) is [var fingerprint] ? fingerprint : null;
            return new Done(null, $"The panel at {api.Host} serves its previous certificate {request.Served} again.", served);
        }, cancellationToken);
    }

    public Task<DeliveryOutcome> WithdrawAsync(DeliveryTarget target, BoxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(target, async (api, steps) =>
        {
            var withdrawn = await api.SendAsync(HttpMethod.Delete, $"api/v1/requests/{request.Handle}", null, "withdrawing the request", cancellationToken)
                .ConfigureAwait(false);
            return withdrawn.Problem is { } problem
                ? new Done(problem)
                : new Done(null, $"The panel at {api.Host} withdrew its request {request.Handle} and destroyed its key.");
        }, cancellationToken);
    }

    /// <summary>The id of the certificate the other panel serves (the one marked default in its list), or null when none is.</summary>
    private static async Task<(int? Id, BoxProblem? Problem)> ServedAsync(PanelApi api, CancellationToken cancellationToken)
    {
        for (var page = 0; page < MaxListPages; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"api/v1/certificates?includeReplaced=true&limit={ListPage}&offset={page * ListPage}");
            var list = await api.SendAsync(HttpMethod.Get, path, null, "the certificate list", cancellationToken).ConfigureAwait(false);
            if (list.Problem is { } problem)
            {
                return (null, problem);
            }

            var items = list.Items("items").ToList();
            var served = items.FirstOrDefault(i => i.TryGetProperty("isDefault", out var d) && d.ValueKind == JsonValueKind.True);
            if (served.ValueKind == JsonValueKind.Object && served.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var value))
            {
                return (value, null);
            }

            if (items.Count < ListPage)
            {
                break;
            }
        }

        return (null, null);
    }

    private static DeliveryOutcome MakesOwnKey(DeliveryTarget? target) => DeliveryOutcome.Failed(DeliveryFailure.Settings,
        $"The panel {target?.BoxName} makes its own key, so no key is sent to it: deploy without choosing a certificate, and the box's CA signs the panel's own request.");

    /// <summary>One call sequence over one client, trusting the panel by pin or home CA; the pin to store comes back as learned.</summary>
    private async Task<DeliveryOutcome> CallAsync(DeliveryTarget? target, Func<PanelApi, List<string>, Task<Done>> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var settings = PanelSettings.From(target);
        if (!settings.IsSuccess)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, settings.Error!);
        }

        var trust = BoxTlsTrust.From(target, settings.Value.Url, _time);
        if (!trust.IsSuccess)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, trust.Error!);
        }

        using var client = new BoxTlsClient(settings.Value.Url, trust.Value, _limits, _time);
        var steps = new List<string>();
        var done = await calls(new PanelApi(client, settings.Value.Token), steps).ConfigureAwait(false);
        if (trust.Value.Accepted is not null)
        {
            steps.Insert(0, trust.Value.Describe());
        }

        var learned = new Dictionary<string, string>(StringComparer.Ordinal);
        // After a switch the panel's listener, which is also its API's, shows the certificate now served: pinned too.
        if (trust.Value.LearnedPin(done.Problem is null ? done.NowServed : null) is { } pin)
        {
            learned[BoxTls.FingerprintOption] = pin;
        }

        return done.Problem is { } problem
            ? DeliveryOutcome.Failed(problem.Failure, problem.Sentence, steps, learned)
            : DeliveryOutcome.Success(done.Message, steps, learned);
    }

    /// <summary>How a call sequence ended: a problem, or a message and the SHA-256 of a certificate the panel now serves.</summary>
    private sealed record Done(BoxProblem? Problem, string Message = "", string? NowServed = null);
}
