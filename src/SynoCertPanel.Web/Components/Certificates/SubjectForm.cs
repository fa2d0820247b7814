using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Components.Certificates;

/// <summary>The subject fields as typed; the engine's <see cref="DistinguishedName.Create"/> decides what is valid.</summary>
public sealed class SubjectForm
{
    public string? CommonName { get; set; }

    public string? Organization { get; set; }

    public string? OrganizationalUnit { get; set; }

    public string? Locality { get; set; }

    public string? State { get; set; }

    public string? Country { get; set; }

    public Result<DistinguishedName> Build(bool requireCommonName) =>
        requireCommonName && string.IsNullOrWhiteSpace(CommonName)
            ? Result.Failure<DistinguishedName>("A common name is required: iOS hides certificate authorities without one in Certificate Trust Settings.")
            : DistinguishedName.Create(CommonName, Organization, OrganizationalUnit, Locality, State, Country);
}
