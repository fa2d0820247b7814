namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// A box as a delivery method sees it: its name, addresses, and the values of the method's options (secrets already
/// opened). Settings the method learns on first contact (a pinned host key or TLS fingerprint, a DSM device id) come
/// back in <see cref="DeliveryOutcome.Learned"/> and are stored by the caller.
/// </summary>
public sealed record DeliveryTarget(
    string BoxName,
    IReadOnlyList<string> Addresses,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Secrets)
{
    public string? Setting(string name) => Settings.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string? SecretValue(string name) => Secrets.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}
