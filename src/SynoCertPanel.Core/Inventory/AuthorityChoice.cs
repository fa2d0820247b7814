namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// Which CA a page offers first when a certificate is to be signed: the operator's own, never the panel's start-up
/// CA (<see cref="BootstrapAuthority"/>), so nobody signs with the temporary root by accident.
/// </summary>
public static class AuthorityChoice
{
    /// <summary>
    /// The only operator CA, else the one that signed last (<paramref name="lastUsedId"/>), else null: with several
    /// and no history the person chooses.
    /// </summary>
    public static int? Preferred(IReadOnlyList<AuthoritySummary> authorities, int? lastUsedId)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        var own = authorities.Where(a => !a.IsBootstrap).ToList();
        if (own is [var only])
        {
            return only.Id;
        }

        return own.Any(a => a.Id == lastUsedId) ? lastUsedId : null;
    }
}
