using Microsoft.AspNetCore.Components;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Components.Wizards;

/// <summary>Whether a new certificate became the default, and what the listener's pre-flight said.</summary>
public sealed record ApplyOutcome(bool Requested, bool Applied, string? Error, IReadOnlyList<string> Warnings)
{
    public static ApplyOutcome NotRequested { get; } = new(false, false, null, []);

    /// <summary>Set as default by the service itself: a host without a listener to swap (tests, tools).</summary>
    public static ApplyOutcome Stored { get; } = new(true, true, null, []);
}

/// <summary>
/// "Set as default" from a wizard goes through <see cref="ListenerService.ApplyAsync"/> when the panel serves HTTPS
/// itself, so the pre-flight (key, dates, chain, lint, the name the browser uses) runs before anything changes.
/// </summary>
public static class DefaultApply
{
    /// <summary>The host name the browser reaches the panel by, as the pre-flight compares it with the certificate's names.</summary>
    public static string AdminHost(NavigationManager navigation)
    {
        ArgumentNullException.ThrowIfNull(navigation);
        return AdminHost(new Uri(navigation.BaseUri));
    }

    /// <summary>The host name a page or an API call reached the panel by, as the pre-flight compares it.</summary>
    public static string AdminHost(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.HostNameType == UriHostNameType.IPv6 ? address.Host.Trim('[', ']') : address.IdnHost;
    }

    public static async Task<ApplyOutcome> ApplyAsync(ListenerService listener, int certificateId, string adminHost, bool confirmed, string actor)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var applied = await listener.ApplyAsync(certificateId, adminHost, confirmed, actor).ConfigureAwait(false);
        return applied.IsSuccess
            ? new ApplyOutcome(true, true, null, applied.Warnings)
            : new ApplyOutcome(true, false, applied.Error, []);
    }
}
