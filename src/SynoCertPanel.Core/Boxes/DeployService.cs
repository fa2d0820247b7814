using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Boxes;

/// <summary>What a deploy did, as the box's history, the CLI and the API show it.</summary>
public sealed record DeploymentSummary(
    int Id,
    int BoxId,
    string BoxName,
    int? CertificateId,
    int? PreviousCertificateId,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DeploymentOutcome Outcome,
    string? Failure,
    string Message,
    IReadOnlyList<string> Steps);

/// <summary>
/// Deploy = choose or (re)issue the certificate → deliver → verify by a TLS handshake to every watched endpoint that it is
/// served → record. A failed verification restores the previous certificate where the method can. Every deploy is a row in
/// the box's history (written first, so a panel stopped in the middle leaves an "unfinished" row) and an audit event.
/// </summary>
public sealed partial class DeployService(PanelStorage storage, BoxDeliveries deliveries, IEndpointProbe probe, TimeProvider time, Alerts.AlertService? alerts = null)
{
    /// <summary>Services restart after an upload (DSM's httpd, pveproxy): verification retries for about this long.</summary>
    public TimeSpan VerifyWindow { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan VerifyRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    private BoxService Boxes => new(storage, deliveries, time);

    /// <param name="idOrName">The box.</param>
    /// <param name="certificateId">The certificate to deliver; null issues a new one from the box's CA, or delivers the box's current one.</param>
    /// <param name="actor">Who asked, for the audit log.</param>
    /// <param name="progress">Each step as it happens, for the page and the CLI.</param>
    /// <param name="cancellationToken">Stops the deploy; the row is then marked failed.</param>
    public async Task<Result<DeploymentSummary>> DeployAsync(string idOrName, int? certificateId, string actor, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var opened = await Boxes.OpenTargetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.DeployBox, idOrName, opened.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<DeploymentSummary>(opened.Error!);
        }

        var (box, method, target) = opened.Value;
        if (box.Enabled && method is IRequestingDelivery requesting)
        {
            return await DeployRequestedAsync(box, requesting, target, certificateId, actor, progress, cancellationToken).ConfigureAwait(false);
        }

        var refusal = !box.Enabled ? $"The box {box.Name} is disabled; enable it before deploying to it."
            : box.Delivery == DeliveryKind.None ? $"The box {box.Name} is watched only, so the panel cannot put a certificate on it. Choose a delivery method for it first."
            : certificateId is null && box.AuthorityId is null && box.CertificateId is null
                ? $"The box {box.Name} has no CA to issue from and no certificate chosen; give a certificate (--certificate ID) or a CA held here for the box."
                : null;
        if (refusal is not null)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.DeployBox, box.Name, refusal, cancellationToken).ConfigureAwait(false);
            return Result.Failure<DeploymentSummary>(refusal);
        }

        var steps = new List<string>();
        void Step(string text)
        {
            steps.Add(text);
            progress?.Report(text);
        }

        var chosen = certificateId ?? (box.AuthorityId is { } authorityId ? null : box.CertificateId);
        if (chosen is null)
        {
            var issued = await IssueForBoxAsync(box, box.AuthorityId!.Value, actor, cancellationToken).ConfigureAwait(false);
            if (!issued.IsSuccess)
            {
                await Refusals.RecordAsync(storage, time, actor, AuditActions.DeployBox, box.Name, issued.Error!, cancellationToken).ConfigureAwait(false);
                return Result.Failure<DeploymentSummary>(issued.Error!);
            }

            chosen = issued.Value;
            Step(string.Create(CultureInfo.InvariantCulture, $"Issued certificate {chosen} for {string.Join(", ", box.Addresses)} from CA {box.AuthorityId}."));
        }

        // The services' rule (a server certificate, its key held here, valid now) before anything is sent: an expired
        // certificate would only be delivered to fail every client, and its verification would pass.
        var usable = await UsableAsync(chosen.Value, cancellationToken).ConfigureAwait(false);
        var bundle = usable is null
            ? await DeliveryBundles.LoadAsync(storage, chosen.Value, cancellationToken).ConfigureAwait(false)
            : Result.Failure<DeliveryBundle>(usable);
        if (!bundle.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.DeployBox, box.Name, bundle.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<DeploymentSummary>(bundle.Error!);
        }

        var previous = box.CertificateId is { } previousId && previousId != chosen ? previousId : (int?)null;
        var deployment = await StartAsync(box, chosen.Value, previous, actor, steps, cancellationToken).ConfigureAwait(false);
        try
        {
            return Result.Success(await RunAsync(deployment, box, method, target, bundle.Value, previous, Step, steps, actor, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(deployment, box, DeploymentOutcome.Failed, "cancelled", "The deploy was cancelled; the box is probed again to learn what it serves.",
                steps, actor, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<string?> UsableAsync(int certificateId, CancellationToken cancellationToken)
    {
        await using var db = storage.CreateContext();
        return (await Services.ServiceCertificates.CheckAsync(db, certificateId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false)).Error;
    }

    /// <summary>The box's deploys, newest first.</summary>
    public async Task<Result<IReadOnlyList<DeploymentSummary>>> HistoryAsync(string idOrName, int limit = 50, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var box = await BoxService.LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
        if (!box.IsSuccess)
        {
            return Result.Failure<IReadOnlyList<DeploymentSummary>>(box.Error!);
        }

        var rows = await db.Deployments.AsNoTracking().Where(d => d.BoxId == box.Value.Id).OrderByDescending(d => d.Id).Take(Math.Clamp(limit, 1, 500))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success<IReadOnlyList<DeploymentSummary>>([.. rows.Select(r => Summary(r, box.Value.Name))]);
    }

    private async Task<DeploymentSummary> RunAsync(DeploymentRecord deployment, BoxSummary box, IBoxDelivery method, DeliveryTarget target, DeliveryBundle bundle,
        int? previous, Action<string> step, List<string> steps, string actor, CancellationToken cancellationToken)
    {
        step($"Delivering certificate {bundle.CertificateId} to {box.Name} by {method.Kind.Label()}.");
        var delivered = await method.DeliverAsync(target, bundle, cancellationToken).ConfigureAwait(false);
        steps.AddRange(delivered.Steps);
        await Boxes.RememberAsync(box.Id, method, delivered.Learned, cancellationToken).ConfigureAwait(false);
        // A restore talks to the box as it is now: with the pin that includes the delivered certificate (the API port may serve it).
        target = Learn(target, method, delivered.Learned);
        if (!delivered.Succeeded)
        {
            step(delivered.Message);
            if (delivered.Failure == DeliveryFailure.Reload)
            {
                // The files are in place but the service did not take them: put the previous ones back so it keeps serving.
                return await RestoreAsync(deployment, box, method, target, previous, delivered.Message, "reload", step, steps, actor, cancellationToken).ConfigureAwait(false);
            }

            return await FinishAsync(deployment, box, DeploymentOutcome.Failed, delivered.Failure?.ToString().ToLowerInvariant(), delivered.Message, steps, actor, null, cancellationToken)
                .ConfigureAwait(false);
        }

        step(delivered.Message);
        var verified = await VerifyAsync(box, bundle.Sha256Fingerprint, step, cancellationToken).ConfigureAwait(false);
        if (verified is not null)
        {
            return await RestoreAsync(deployment, box, method, target, previous, verified, "verify", step, steps, actor, cancellationToken).ConfigureAwait(false);
        }

        return await FinishAsync(deployment, box, DeploymentOutcome.Succeeded, null,
            string.Create(CultureInfo.InvariantCulture, $"{box.Name} serves certificate {bundle.CertificateId} on {string.Join(", ", box.Endpoints.Select(e => e.Display))}."),
            steps, actor, bundle.CertificateId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when every watched endpoint serves the leaf with this SHA-256 (retried while the service restarts); else why not.</summary>
    private async Task<string?> VerifyAsync(BoxSummary box, string expectedFingerprint, Action<string> step, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + VerifyWindow;
        foreach (var endpoint in box.Endpoints)
        {
            while (true)
            {
                var result = await probe.ProbeAsync(ProbeTarget.For(endpoint.Host, endpoint.Port), cancellationToken).ConfigureAwait(false);
                var servedFingerprint = result.ServedChain.Count > 0 ? Convert.ToHexString(SHA256.HashData(result.ServedChain[0])) : null;
                if (servedFingerprint is { } fingerprint && string.Equals(fingerprint, expectedFingerprint, StringComparison.OrdinalIgnoreCase))
                {
                    step($"Verified: {endpoint.Display} serves the new certificate.");
                    break;
                }

                if (time.GetUtcNow() >= deadline)
                {
                    return servedFingerprint is null
                        ? $"Verification failed: {endpoint.Display} could not be reached after the delivery ({result.Failure?.Message})."
                        : $"Verification failed: {endpoint.Display} still serves another certificate (SHA-256 {servedFingerprint[..16]}…) after the delivery reported success.";
                }

                await Task.Delay(VerifyRetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    private async Task<DeploymentSummary> RestoreAsync(DeploymentRecord deployment, BoxSummary box, IBoxDelivery method, DeliveryTarget target, int? previous,
        string why, string failure, Action<string> step, List<string> steps, string actor, CancellationToken cancellationToken)
    {
        step(why);
        DeliveryBundle? previousBundle = null;
        if (previous is { } previousId)
        {
            var loaded = await DeliveryBundles.LoadAsync(storage, previousId, cancellationToken).ConfigureAwait(false);
            previousBundle = loaded.IsSuccess ? loaded.Value : null;
        }

        step("Restoring what the box served before.");
        var restored = await method.RestoreAsync(target, previousBundle, cancellationToken).ConfigureAwait(false);
        steps.AddRange(restored.Steps);
        step(restored.Message);
        return restored.Succeeded
            ? await FinishAsync(deployment, box, DeploymentOutcome.RolledBack, failure, $"{why} The previous certificate was put back.", steps, actor, null, cancellationToken)
                .ConfigureAwait(false)
            : await FinishAsync(deployment, box, DeploymentOutcome.Failed, failure, $"{why} Restoring the previous certificate failed too: {restored.Message}", steps, actor, null,
                cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<int>> IssueForBoxAsync(BoxSummary box, int authorityId, string actor, CancellationToken cancellationToken)
    {
        var names = SanParser.ParseAll(box.Addresses);
        if (!names.IsSuccess)
        {
            return Result.Failure<int>(names.Error!);
        }

        var subject = DistinguishedName.Create(box.Addresses[0]);
        if (!subject.IsSuccess)
        {
            return Result.Failure<int>(subject.Error!);
        }

        var options = new LeafOptions { Subject = subject.Value, SubjectAlternativeNames = names.Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 };
        return await new AuthorityService(storage, time).IssueAsync(authorityId, options, $"{box.Name} (box)", setAsDefault: false, actor, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<DeploymentRecord> StartAsync(BoxSummary box, int? certificateId, int? previous, string actor, List<string> steps, CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var row = new DeploymentRecord
            {
                BoxId = box.Id,
                CertificateId = certificateId,
                PreviousCertificateId = previous,
                StartedAt = time.GetUtcNow(),
                Outcome = DeploymentOutcome.Running,
                Message = "Running.",
                Steps = string.Join('\n', steps),
                Actor = actor,
            };
            db.Deployments.Add(row);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return row;
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private async Task<DeploymentSummary> FinishAsync(DeploymentRecord deployment, BoxSummary box, DeploymentOutcome outcome, string? failure, string message,
        List<string> steps, string actor, int? nowServed, CancellationToken cancellationToken)
    {
        DeploymentSummary summary;
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var row = await db.Deployments.SingleAsync(d => d.Id == deployment.Id, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            row.Outcome = outcome;
            row.Failure = failure;
            row.Message = message;
            row.Steps = string.Join('\n', steps.Take(200).Select(s => Display.Literal(s, 1000)));
            row.FinishedAt = now;
            if (nowServed is { } served)
            {
                var record = await db.Boxes.SingleAsync(b => b.Id == box.Id, cancellationToken).ConfigureAwait(false);
                record.CertificateId = served;
            }

            AuditLog.Add(db, now, actor, AuditActions.DeployBox, box.Name,
                outcome == DeploymentOutcome.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed, message, certificateId: row.CertificateId);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            summary = Summary(row, box.Name);
        }
        finally
        {
            storage.WriteGate.Release();
        }

        if (alerts is not null && outcome != DeploymentOutcome.Succeeded)
        {
            // A failed or rolled-back deploy is worth a message; the alert channels record their own failures.
            await alerts.NotifyDeployAsync(summary, CancellationToken.None).ConfigureAwait(false);
        }

        return summary;
    }

    private static DeliveryTarget Learn(DeliveryTarget target, IBoxDelivery method, IReadOnlyDictionary<string, string> learned)
    {
        var settings = new Dictionary<string, string>(target.Settings, StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(target.Secrets, StringComparer.Ordinal);
        BoxRecords.ApplyLearned(method, learned, settings, secrets);
        return target with { Settings = settings, Secrets = secrets };
    }

    private static DeploymentSummary Summary(DeploymentRecord row, string boxName) => new(
        row.Id, row.BoxId, boxName, row.CertificateId, row.PreviousCertificateId, row.StartedAt, row.FinishedAt, row.Outcome, row.Failure, row.Message,
        row.Steps.Split('\n', StringSplitOptions.RemoveEmptyEntries));
}
