using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Components.Certificates;

namespace SynoCertPanel.Web.Components.Wizards;

/// <summary>What the "Create CSR" wizard collects; the key type defaults to the engine's default for servers.</summary>
public sealed class RequestForm
{
    public SubjectForm Subject { get; } = new();

    public IReadOnlyList<SubjectAlternativeName> Names { get; set; } = [];

    public KeyAlgorithm Key { get; set; } = Recommended;

    public string Description { get; set; } = string.Empty;

    public static KeyAlgorithm Recommended { get; } = new LeafOptions().KeyAlgorithm;

    /// <summary>Why the request cannot be made yet, or null.</summary>
    public string? Problem() => Subject.Build(requireCommonName: false).Error
        ?? (Names.Count == 0 ? "Add at least one DNS name or IP address: browsers ignore the common name and read only these." : null);

    public DistinguishedName ToSubject() => Subject.Build(requireCommonName: false).Value;
}
