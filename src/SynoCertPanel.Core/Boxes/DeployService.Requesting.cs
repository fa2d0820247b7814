using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// The deploy of a box that makes its own key (<see cref="IRequestingDelivery"/>): the box's CSR → signed here by the box's
/// CA for the box's names → installed there onto the CSR's key → verified → recorded, or what it served put back.
/// </summary>
public sealed partial class DeployService
{
    private async Task<Result<DeploymentSummary>> DeployRequestedAsync(BoxSummary box, IRequestingDelivery method, DeliveryTarget target, int? certificateId,
        string actor, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var names = SanParser.ParseAll(box.Addresses);
        var refusal = certificateId is not null
            ? $"The box {box.Name} makes its own key ({method.Kind.Label()}), so a certificate held here cannot be sent to it; deploy without choosing one, and the box's CA signs the box's own request."
            : box.AuthorityId is null
                ? $"The box {box.Name} makes its own key ({method.Kind.Label()}), so the panel signs its request with a CA held here; choose the box's CA first."
                : names.Error;
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

        var deployment = await StartAsync(box, null, box.CertificateId, actor, steps, cancellationToken).ConfigureAwait(false);
        try
        {
            return Result.Success(await RunRequestedAsync(deployment, box, method, target, names.Value, Step, steps, actor, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(deployment, box, DeploymentOutcome.Failed, "cancelled", "The deploy was cancelled; the box is probed again to learn what it serves.",
                steps, actor, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<DeploymentSummary> RunRequestedAsync(DeploymentRecord deployment, BoxSummary box, IRequestingDelivery method, DeliveryTarget target,
        IReadOnlyList<SubjectAlternativeName> names, Action<string> step, List<string> steps, string actor, CancellationToken cancellationToken)
    {
        step($"Asking {box.Name} by {method.Kind.Label()} for a certificate signing request for {string.Join(", ", box.Addresses)}; its key stays there.");
        var asked = await method.RequestAsync(target, box.Addresses, cancellationToken).ConfigureAwait(false);
        target = await AfterCallAsync(box, method, target, asked.Outcome, steps, cancellationToken).ConfigureAwait(false);
        step(asked.Outcome.Message);
        if (!asked.Outcome.Succeeded || asked.Request is not { } request)
        {
            return await FailedAsync(asked.Outcome).ConfigureAwait(false);
        }

        var signed = await SignForBoxAsync(box, box.AuthorityId!.Value, request, names, actor, cancellationToken).ConfigureAwait(false);
        if (!signed.IsSuccess)
        {
            step(signed.Error!);
            var withdrawn = await method.WithdrawAsync(target, request, cancellationToken).ConfigureAwait(false);
            steps.AddRange(withdrawn.Steps);
            step(withdrawn.Message);
            return await FinishAsync(deployment, box, DeploymentOutcome.Failed, "sign", $"Nothing was signed: {signed.Error}", steps, actor, null, cancellationToken)
                .ConfigureAwait(false);
        }

        await RecordCertificateAsync(deployment, signed.Value.CertificateId, cancellationToken).ConfigureAwait(false);
        step(string.Create(CultureInfo.InvariantCulture,
            $"Signed certificate {signed.Value.CertificateId} for {string.Join(", ", names.Select(n => n.DisplayValue))} with CA {box.AuthorityId}; the box's key never came here."));

        var installed = await method.InstallAsync(target, request, signed.Value, cancellationToken).ConfigureAwait(false);
        target = await AfterCallAsync(box, method, target, installed, steps, cancellationToken).ConfigureAwait(false);
        step(installed.Message);
        if (!installed.Succeeded)
        {
            return await FailedAsync(installed).ConfigureAwait(false);
        }

        var verified = await VerifyAsync(box, signed.Value.Sha256Fingerprint, step, cancellationToken).ConfigureAwait(false);
        if (verified is null)
        {
            return await FinishAsync(deployment, box, DeploymentOutcome.Succeeded, null,
                string.Create(CultureInfo.InvariantCulture, $"{box.Name} serves certificate {signed.Value.CertificateId} on {string.Join(", ", box.Endpoints.Select(e => e.Display))}."),
                steps, actor, signed.Value.CertificateId, cancellationToken).ConfigureAwait(false);
        }

        step(verified);
        step("Restoring what the box served before.");
        var restored = await method.RestoreServedAsync(target, request, cancellationToken).ConfigureAwait(false);
        await AfterCallAsync(box, method, target, restored, steps, cancellationToken).ConfigureAwait(false);
        step(restored.Message);
        return restored.Succeeded
            ? await FinishAsync(deployment, box, DeploymentOutcome.RolledBack, "verify", $"{verified} What it served before was put back.", steps, actor, null,
                cancellationToken).ConfigureAwait(false)
            : await FinishAsync(deployment, box, DeploymentOutcome.Failed, "verify", $"{verified} Putting back what it served before failed too: {restored.Message}",
                steps, actor, null, cancellationToken).ConfigureAwait(false);

        Task<DeploymentSummary> FailedAsync(DeliveryOutcome outcome) =>
            FinishAsync(deployment, box, DeploymentOutcome.Failed, outcome.Failure?.ToString().ToLowerInvariant() ?? "protocol", outcome.Message, steps, actor, null,
                cancellationToken);
    }

    /// <summary>Keeps the call's steps and what it learned (a pin), and returns the target as the next call must see the box.</summary>
    private async Task<DeliveryTarget> AfterCallAsync(BoxSummary box, IBoxDelivery method, DeliveryTarget target, DeliveryOutcome outcome, List<string> steps,
        CancellationToken cancellationToken)
    {
        steps.AddRange(outcome.Steps);
        await Boxes.RememberAsync(box.Id, method, outcome.Learned, cancellationToken).ConfigureAwait(false);
        return Learn(target, method, outcome.Learned);
    }

    /// <summary>
    /// The box's CSR signed by its CA through <see cref="SigningService"/> (its key, subject and constraint checks, its lint,
    /// its audit), with the box's names as the whole list of names: a request that asks for others is refused, not trimmed.
    /// </summary>
    private async Task<Result<SignedForBox>> SignForBoxAsync(BoxSummary box, int authorityId, BoxRequest request, IReadOnlyList<SubjectAlternativeName> names,
        string actor, CancellationToken cancellationToken)
    {
        var blocks = PemReader.ReadAll(request.CsrPem);
        var block = blocks.IsSuccess ? blocks.Value.FirstOrDefault(b => b.Label is "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST") : null;
        if (block is null)
        {
            return Result.Failure<SignedForBox>($"The box {box.Name} answered with no certificate signing request (PEM) that can be read.");
        }

        var csr = CertificateSigningRequest.FromDer(block.Data);
        if (!csr.IsSuccess)
        {
            return Result.Failure<SignedForBox>($"The request the box {box.Name} made cannot be read: {csr.Error}");
        }

        var asked = csr.Value.SubjectAlternativeNames;
        if (asked.Count != names.Count || asked.Except(names).Any())
        {
            return Result.Failure<SignedForBox>(
                $"The box {box.Name} made a request for {Shown(asked)}, not for its names {Shown(names)}; a request for other names is not signed.");
        }

        var signed = await new SigningService(storage, time).SignAsync(authorityId, csr.Value, new SignRequestOptions { SubjectAlternativeNames = names },
            $"{box.Name} (box)", actor, cancellationToken).ConfigureAwait(false);
        if (!signed.IsSuccess)
        {
            return Result.Failure<SignedForBox>(signed.Error!);
        }

        var issued = signed.Value.Issued;
        return Result.Success(new SignedForBox(signed.Value.CertificateId, $"{box.Name} (box)", issued.Certificate.ToPem(),
            string.Concat(issued.Chain.Select(c => c.ToPem())), issued.Certificate.Sha256Fingerprint));

        static string Shown(IEnumerable<SubjectAlternativeName> list) =>
            string.Join(", ", list.Select(n => Display.Literal(n.DisplayValue, 80)).DefaultIfEmpty("no names"));
    }

    /// <summary>The certificate signed for this deploy, on its row as soon as it exists (a deploy stopped later still names it).</summary>
    private async Task RecordCertificateAsync(DeploymentRecord deployment, int certificateId, CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var row = await db.Deployments.SingleAsync(d => d.Id == deployment.Id, cancellationToken).ConfigureAwait(false);
            row.CertificateId = certificateId;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
