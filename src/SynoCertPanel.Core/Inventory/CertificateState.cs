namespace SynoCertPanel.Core.Inventory;

/// <summary>Where a certificate stands, as the certificate list shows it (the expiry colour and the "replaced" marker).</summary>
public enum CertificateState
{
    Valid,
    Expiring,
    Expired,
    Replaced,
}

public static class CertificateStates
{
    /// <summary>The Synology page warns a month ahead; so does the panel.</summary>
    public const int ExpiryWarningDays = 30;

    /// <summary>
    /// A renewed certificate is "replaced" whatever its dates (the list marks it so and hides it by default); otherwise
    /// expired from its last second on, expiring inside the last <see cref="ExpiryWarningDays"/> whole days, else valid.
    /// </summary>
    public static CertificateState At(DateTimeOffset notAfter, int? replacedById, DateTimeOffset now) =>
        replacedById is not null ? CertificateState.Replaced
        : notAfter <= now ? CertificateState.Expired
        : DaysLeft(notAfter, now) < ExpiryWarningDays ? CertificateState.Expiring
        : CertificateState.Valid;

    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => (int)Math.Floor((notAfter - now).TotalDays);

    /// <summary>The state's name in metrics and JSON: lower case, stable.</summary>
    public static string Name(CertificateState state) => state switch
    {
        CertificateState.Valid => "valid",
        CertificateState.Expiring => "expiring",
        CertificateState.Expired => "expired",
        CertificateState.Replaced => "replaced",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
