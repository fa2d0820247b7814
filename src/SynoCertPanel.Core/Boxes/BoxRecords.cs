using System.Text;
using System.Text.Json;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Boxes;

/// <summary>A box as the page, the CLI and the API show it: never a secret, only which secrets are set.</summary>
public sealed record BoxSummary(
    int Id,
    string Name,
    IReadOnlyList<string> Addresses,
    DeliveryKind Delivery,
    bool Enabled,
    int? AuthorityId,
    int? CertificateId,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> SecretsSet,
    IReadOnlyList<BoxEndpointSummary> Endpoints,
    DateTimeOffset CreatedAt);

public sealed record BoxEndpointSummary(
    int Id,
    string Host,
    int Port,
    DateTimeOffset? CheckedAt,
    string? State,
    string? Message,
    string? ServedFingerprint,
    DateTimeOffset? ServedNotAfter)
{
    public string Display => new WatchedEndpoint(Host, Port).ToString();
}

/// <summary>What the operator gives when adding or editing a box.</summary>
public sealed record BoxDraft
{
    public string? Name { get; init; }

    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>Endpoints to probe; none means the first address on port 443.</summary>
    public IReadOnlyList<string> Watch { get; init; } = [];

    public string? Delivery { get; init; }

    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    public int? AuthorityId { get; init; }

    public int? CertificateId { get; init; }
}

/// <summary>What an edit changes; null keeps the stored value.</summary>
public sealed record BoxChange
{
    public string? Name { get; init; }

    public IReadOnlyList<string>? Addresses { get; init; }

    /// <summary>The endpoints to watch from now on (an empty list: the first address on port 443).</summary>
    public IReadOnlyList<string>? Watch { get; init; }

    /// <summary>Another method keeps none of the old one's settings or secrets: give all it requires.</summary>
    public string? Delivery { get; init; }

    /// <summary>Settings by name, laid over the stored ones; an empty value drops the setting (its default applies again).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>New secrets by name; an empty value keeps the stored one.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the box's certificate comes from; null keeps it.</summary>
    public BoxCertificateSource? Source { get; init; }

    /// <summary>Forget the pinned SSH host key and HTTPS fingerprint, so a re-installed box is pinned again on next contact.</summary>
    public bool ForgetPin { get; init; }
}

/// <summary>The CA a box's certificates are issued from and the certificate it is given; both null: none yet.</summary>
public sealed record BoxCertificateSource(int? AuthorityId, int? CertificateId);

internal static class BoxRecords
{
    public static string Purpose(int boxId) => $"box:{boxId}";

    public static byte[]? Seal(KeyProtector protector, int boxId, IReadOnlyDictionary<string, string> secrets) =>
        secrets.Count == 0 ? null : protector.Seal(JsonSerializer.SerializeToUtf8Bytes(secrets), Purpose(boxId));

    /// <summary>The opened secrets; null when the blob no longer opens (another key-encryption key, or altered).</summary>
    public static Dictionary<string, string>? Open(KeyProtector protector, BoxRecord box)
    {
        if (box.SealedSecrets is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var plain = protector.Open(box.SealedSecrets, Purpose(box.Id));
        return plain is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(Encoding.UTF8.GetString(plain));
    }

    public static Dictionary<string, string> Settings(BoxRecord box) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(box.Settings) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    public static IReadOnlyList<string> AddressList(BoxRecord box) =>
        box.Addresses.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The addresses without their DNS:/IP: prefix, as people and the probe's verdict read them.</summary>
    public static List<string> AddressValues(BoxRecord box) =>
        [.. AddressList(box).Select(a => a[(a.IndexOf(':', StringComparison.Ordinal) + 1)..])];

    /// <summary>
    /// Puts what a method learned into its settings and secrets, by the method's own options; an empty value drops the
    /// setting (a one-time 2FA code once used).
    /// </summary>
    public static void ApplyLearned(IBoxDelivery method, IReadOnlyDictionary<string, string> learned, Dictionary<string, string> settings,
        Dictionary<string, string> secrets)
    {
        var secretNames = method.Options.Where(o => o.Secret).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in learned)
        {
            var into = secretNames.Contains(name) ? secrets : settings;
            if (value.Length == 0)
            {
                into.Remove(name);
            }
            else
            {
                into[name] = value;
            }
        }
    }

    public static BoxSummary Summary(BoxRecord box, IReadOnlyList<string> secretsSet) => new(
        box.Id,
        box.Name,
        AddressValues(box),
        DeliveryKinds.Parse(box.Delivery) ?? DeliveryKind.None,
        box.Enabled,
        box.AuthorityId,
        box.CertificateId,
        Settings(box),
        secretsSet,
        box.Endpoints.OrderBy(e => e.Id).Select(e => new BoxEndpointSummary(e.Id, e.Host, e.Port, e.CheckedAt, e.State, e.Message, e.ServedFingerprint, e.ServedNotAfter)).ToList(),
        box.CreatedAt);
}
