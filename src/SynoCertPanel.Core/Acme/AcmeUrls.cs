using System.Globalization;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// The URLs of one directory, all under <c>/acme/{authority}/</c> of the address the client used, so what a client
/// puts in a JWS <c>url</c> or <c>kid</c> is checked against the same text.
/// </summary>
/// <param name="Base">The directory's base, ending in a slash (https://nas.lab.internal:5001/acme/3/).</param>
public sealed record AcmeUrls(string Base)
{
    public static string PathPrefix(int authorityId) => $"/acme/{authorityId}/";

    public string Directory => Base + "directory";

    public string NewNonce => Base + "new-nonce";

    public string NewAccount => Base + "new-account";

    public string NewOrder => Base + "new-order";

    public string RevokeCert => Base + "revoke-cert";

    public string KeyChange => Base + "key-change";

    public string RenewalInfo => Base + "renewal-info";

    public string Crl => Base + "crl";

    public string Account(int id) => Base + "account/" + id.ToString(CultureInfo.InvariantCulture);

    public string AccountOrders(int id) => Account(id) + "/orders";

    public string Order(int id) => Base + "order/" + id.ToString(CultureInfo.InvariantCulture);

    public string Finalize(int id) => Order(id) + "/finalize";

    public string Authorization(int id) => Base + "authz/" + id.ToString(CultureInfo.InvariantCulture);

    public string Challenge(int id) => Base + "chall/" + id.ToString(CultureInfo.InvariantCulture);

    public string Certificate(int id) => Base + "cert/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A certificate with its chain number <paramref name="alternate"/> (0: the default chain, at <see cref="Certificate(int)"/>).</summary>
    public string Certificate(int id, int alternate) => alternate == 0
        ? Certificate(id)
        : Certificate(id) + "/alt/" + alternate.ToString(CultureInfo.InvariantCulture);

    /// <summary>The account id in a <c>kid</c>, when it is one of this directory's account URLs.</summary>
    public bool TryAccountId(string? kid, out int id)
    {
        id = 0;
        var prefix = Base + "account/";
        return kid is not null && kid.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(kid.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }
}
