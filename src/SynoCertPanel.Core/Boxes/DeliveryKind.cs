namespace SynoCertPanel.Core.Boxes;

/// <summary>How a certificate reaches a box. Stored by name, so the order here may change.</summary>
public enum DeliveryKind
{
    /// <summary>No delivery: the panel only probes the box's endpoints.</summary>
    None,

    /// <summary>Files written over SSH (SFTP), then a reload command.</summary>
    Ssh,

    /// <summary>Synology DSM's Web API (SYNO.Core.Certificate import, replacing the same id).</summary>
    Dsm,

    /// <summary>Proxmox VE or Backup Server: the custom certificate call of its API.</summary>
    Proxmox,

    /// <summary>Another SynoCertPanel, through its /api/v1.</summary>
    Panel,

    /// <summary>A POST of the PEM bundle, signed with an HMAC.</summary>
    Webhook,
}

public static class DeliveryKinds
{
    /// <summary>The names the CLI, the API and the page use.</summary>
    public static string Name(this DeliveryKind kind) => kind switch
    {
        DeliveryKind.None => "none",
        DeliveryKind.Ssh => "ssh",
        DeliveryKind.Dsm => "dsm",
        DeliveryKind.Proxmox => "proxmox",
        DeliveryKind.Panel => "panel",
        DeliveryKind.Webhook => "webhook",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static DeliveryKind? Parse(string? name) =>
        Enum.GetValues<DeliveryKind>().Cast<DeliveryKind?>().FirstOrDefault(k => string.Equals(k!.Value.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Label(this DeliveryKind kind) => kind switch
    {
        DeliveryKind.None => "Watch only",
        DeliveryKind.Ssh => "SSH (Linux)",
        DeliveryKind.Dsm => "Synology DSM",
        DeliveryKind.Proxmox => "Proxmox VE / PBS",
        DeliveryKind.Panel => "Another SynoCertPanel",
        DeliveryKind.Webhook => "Webhook",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
