using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Components.Wizards;

/// <summary>What the wizard made: the server certificate, the root that signed it, and whether it became the default.</summary>
public sealed record SelfSignedOutcome(CertificateDetails Server, int RootCertificateId, string RootSubject, ApplyOutcome Apply);

/// <summary>
/// The final click of the self-signed wizard: issue from a CA held here or create root and server together, then,
/// when asked, make it the default through the listener's apply (pre-flight, swap, test handshake).
/// </summary>
public sealed class SelfSignedCreation(SelfSignedService selfSigned, AuthorityService authorities, InventoryService inventory, ListenerService? listener)
{
    public async Task<Result<SelfSignedOutcome>> RunAsync(SelfSignedForm form, AuthoritySummary? authority, string adminHost, string actor)
    {
        ArgumentNullException.ThrowIfNull(form);
        // With a listener the apply sets the default after its pre-flight; without one the service stores it directly.
        var serviceSetsDefault = form.SetAsDefault && listener is null;
        Result<(int ServerId, int RootId, string RootSubject)> made;
        if (authority is not null)
        {
            var issued = await authorities.IssueAsync(authority.Id, form.ToServerOptions(), form.Description, serviceSetsDefault, actor).ConfigureAwait(false);
            made = issued.Map(id => (id, authority.CertificateId, authority.Subject));
        }
        else
        {
            var created = await selfSigned.CreateAsync(form.ToRequest(serviceSetsDefault), actor).ConfigureAwait(false);
            made = created.Map(c => (c.CertificateId, c.AuthorityCertificateId, c.Server.Chain[^1].SubjectText));
        }

        if (!made.IsSuccess)
        {
            return Result.Failure<SelfSignedOutcome>(made.Error!);
        }

        var (serverId, rootId, rootSubject) = made.Value;
        var apply = !form.SetAsDefault ? ApplyOutcome.NotRequested
            : listener is null ? ApplyOutcome.Stored
            : await DefaultApply.ApplyAsync(listener, serverId, adminHost, confirmed: false, actor).ConfigureAwait(false);
        var details = await inventory.GetAsync(serverId).ConfigureAwait(false);
        return details.Map(d => new SelfSignedOutcome(d, rootId, rootSubject, apply));
    }
}
