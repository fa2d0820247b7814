using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Web.Components.Certificates;

namespace SynoCertPanel.Web.Components.Wizards;

/// <summary>What the self-signed wizard's steps collect; defaults are the engine's own.</summary>
public sealed class SelfSignedForm
{
    private static readonly RootCaOptions RootDefaults = new() { Subject = new DistinguishedName() };
    private static readonly LeafOptions ServerDefaults = new();

    /// <summary>A CA held here to sign with; null creates a new root.</summary>
    public int? AuthorityId { get; set; }

    public SubjectForm Root { get; } = new();

    public KeyAlgorithm RootKey { get; set; } = RootDefaults.KeyAlgorithm;

    public int RootValidityDays { get; set; } = CertificateProfile.RootCa.DefaultValidityDays;

    public SubjectForm Server { get; } = new();

    public IReadOnlyList<SubjectAlternativeName> Names { get; set; } = [];

    public KeyAlgorithm ServerKey { get; set; } = ServerDefaults.KeyAlgorithm;

    public int ServerValidityDays { get; set; } = CertificateProfile.TlsServer.DefaultValidityDays;

    public string Description { get; set; } = string.Empty;

    public bool SetAsDefault { get; set; } = true;

    public static KeyAlgorithm RecommendedRootKey => RootDefaults.KeyAlgorithm;

    public static KeyAlgorithm RecommendedServerKey => ServerDefaults.KeyAlgorithm;

    /// <summary>Why step 1 cannot be left yet, or null.</summary>
    public string? RootProblem() => AuthorityId is not null ? null
        : Root.Build(requireCommonName: true).Error ?? CertificateProfile.RootCa.CheckValidity(RootValidityDays).Error;

    /// <summary>Why step 2 cannot be left yet, or null.</summary>
    public string? ServerProblem() => Server.Build(requireCommonName: false).Error
        ?? (Names.Count == 0 ? "Add at least one DNS name or IP address: browsers ignore the common name and read only these." : null)
        ?? CertificateProfile.TlsServer.CheckValidity(ServerValidityDays).Error;

    public RootCaOptions ToRootOptions() => new()
    {
        Subject = Root.Build(requireCommonName: true).Value,
        KeyAlgorithm = RootKey,
        ValidityDays = RootValidityDays,
    };

    public LeafOptions ToServerOptions() => new()
    {
        Subject = Server.Build(requireCommonName: false).Value,
        SubjectAlternativeNames = Names,
        KeyAlgorithm = ServerKey,
        ValidityDays = ServerValidityDays,
    };

    /// <param name="setAsDefault">Whether the service itself makes it the default (when no listener applies it).</param>
    public SelfSignedRequest ToRequest(bool setAsDefault) => new()
    {
        Root = ToRootOptions(),
        Server = ToServerOptions(),
        Description = Description,
        SetAsDefault = setAsDefault,
    };
}
