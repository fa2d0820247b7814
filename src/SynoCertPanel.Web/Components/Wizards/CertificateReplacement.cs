using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Components.Wizards;

/// <summary>The new certificate took the old one's place; <paramref name="Apply"/> says whether it became the default.</summary>
public sealed record ReplacementOutcome(string OldDescription, ApplyOutcome Apply);

/// <summary>
/// "Replace an existing certificate", after the import or creation of the new one: it takes the old one's place as a
/// renewal does (Core's <see cref="InventoryService.ReplaceAsync"/>), and when the old one was the default the new one
/// is applied to the listener through its pre-flight, as the Renew page does.
/// </summary>
public sealed class CertificateReplacement(InventoryService inventory, ListenerService? listener)
{
    /// <param name="oldId">The certificate being replaced.</param>
    /// <param name="newId">The certificate just imported or created.</param>
    /// <param name="applied">What the wizard itself did about the default (it may already have applied the new one).</param>
    /// <param name="adminHost">The host name the browser uses, for the apply's pre-flight.</param>
    /// <param name="actor">Who replaces, for the audit log.</param>
    public async Task<Result<ReplacementOutcome>> RunAsync(int oldId, int newId, ApplyOutcome applied, string adminHost, string actor)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var old = await inventory.GetAsync(oldId).ConfigureAwait(false);
        var replaced = await inventory.ReplaceAsync(oldId, newId, moveDefault: listener is null, actor).ConfigureAwait(false);
        if (!replaced.IsSuccess)
        {
            return Result.Failure<ReplacementOutcome>(replaced.Error!);
        }

        var apply = !replaced.Value.OldWasDefault || applied.Requested ? applied
            : listener is null ? ApplyOutcome.Stored
            : await DefaultApply.ApplyAsync(listener, newId, adminHost, confirmed: false, actor).ConfigureAwait(false);
        return Result.Success(new ReplacementOutcome(old.IsSuccess ? old.Value.Summary.Description : $"certificate {oldId}", apply));
    }
}
