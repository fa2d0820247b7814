using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Components.Wizards;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// The body of <c>POST /api/v1/certificates</c>: a server certificate from a CA held here (<c>authorityId</c>) or with a
/// new root (<c>rootCommonName</c>). Unset values take the self-signed wizard's defaults.
/// </summary>
public sealed record CreateCertificateBody
{
    public string? CommonName { get; init; }

    public IReadOnlyList<string>? AlternativeNames { get; init; }

    public string? Key { get; init; }

    public int? ValidityDays { get; init; }

    public string? Description { get; init; }

    public int? AuthorityId { get; init; }

    public string? RootCommonName { get; init; }

    public string? RootKey { get; init; }

    public int? RootValidityDays { get; init; }

    /// <summary>
    /// The wizard's form filled from the body, so the page's own checks (<see cref="SelfSignedForm.RootProblem"/>,
    /// <see cref="SelfSignedForm.ServerProblem"/>) judge it; the API never sets the default (that needs the listener's apply).
    /// </summary>
    internal Result<SelfSignedForm> ToForm()
    {
        if (AuthorityId is not null && (RootCommonName ?? RootKey ?? (object?)RootValidityDays) is not null)
        {
            return Result.Failure<SelfSignedForm>("Give either authorityId (issue from a CA held here) or rootCommonName (a new root), not both.");
        }

        var serverKey = Key is null ? Result.Success(SelfSignedForm.RecommendedServerKey) : KeyAlgorithms.Parse(Key);
        var rootKey = RootKey is null ? Result.Success(SelfSignedForm.RecommendedRootKey) : KeyAlgorithms.Parse(RootKey);
        var names = SanParser.ParseAll(AlternativeNames ?? []);
        var problem = serverKey.Error ?? rootKey.Error ?? names.Error;
        if (problem is not null)
        {
            return Result.Failure<SelfSignedForm>(problem);
        }

        var form = new SelfSignedForm
        {
            AuthorityId = AuthorityId,
            RootKey = rootKey.Value,
            Names = names.Value,
            ServerKey = serverKey.Value,
            Description = Description ?? string.Empty,
            SetAsDefault = false,
        };
        form.Root.CommonName = RootCommonName;
        form.Server.CommonName = CommonName;
        if (ValidityDays is { } days)
        {
            form.ServerValidityDays = days;
        }

        if (RootValidityDays is { } rootDays)
        {
            form.RootValidityDays = rootDays;
        }

        problem = form.RootProblem() ?? form.ServerProblem();
        return problem is null ? Result.Success(form) : Result.Failure<SelfSignedForm>(problem);
    }
}
