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
    /// <summary>The server certificate's common name; the wizard's default when unset.</summary>
    public string? CommonName { get; init; }

    /// <summary>DNS names and IP addresses (<c>nas.home.arpa</c>, <c>192.168.1.10</c>), as the wizard takes them.</summary>
    public IReadOnlyList<string>? AlternativeNames { get; init; }

    /// <summary>The server key: <c>p256</c>, <c>p384</c>, <c>rsa2048</c>, <c>rsa3072</c> or <c>rsa4096</c>; the wizard's default when unset.</summary>
    public string? Key { get; init; }

    /// <summary>The server certificate's validity in days; the wizard's default when unset.</summary>
    public int? ValidityDays { get; init; }

    /// <summary>The description the list shows.</summary>
    public string? Description { get; init; }

    /// <summary>Issue from this CA held here; not together with the root fields.</summary>
    public int? AuthorityId { get; init; }

    /// <summary>Make a new root CA with this common name and issue from it; not together with <c>authorityId</c>.</summary>
    public string? RootCommonName { get; init; }

    /// <summary>The new root's key type, as for <c>key</c>.</summary>
    public string? RootKey { get; init; }

    /// <summary>The new root's validity in days.</summary>
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
