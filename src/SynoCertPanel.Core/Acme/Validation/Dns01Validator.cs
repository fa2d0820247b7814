using System.Security.Cryptography;
using System.Text;
using DnsClient;

namespace SynoCertPanel.Core.Acme.Validation;

/// <summary>
/// dns-01 (RFC 8555 §8.4): a TXT record at <c>_acme-challenge.NAME</c> must hold base64url(SHA-256(key authorization)).
/// Asked of the resolver the operator set (<see cref="AcmeDnsResolver"/>), else the system's, with no cache (a retry must
/// see a record published meanwhile); CNAMEs are followed as the resolver answers them (DnsClient takes the TXT records
/// of the whole answer). The attempt is bounded by a timeout.
/// </summary>
/// <remarks>
/// Problem types as Let's Encrypt's Boulder uses them: a name that does not exist, a resolver error or no answer is
/// <c>dns</c>; no TXT record or none with this challenge's value is <c>unauthorized</c>.
/// </remarks>
public sealed class Dns01Validator(AcmeDnsResolver resolvers, TimeSpan timeout) : IChallengeValidator
{
    /// <summary>TXT records shown in a problem at most, and their length.</summary>
    private const int ShownRecords = 3;

    public string Type => AcmeChallengeTypes.Dns01;

    public async Task<AcmeProblem?> ValidateAsync(ChallengeAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.IdentifierType != "dns")
        {
            return AcmeProblem.ServerInternal($"dns-01 cannot prove the address {attempt.Identifier} (RFC 8738 §7).");
        }

        var name = "_acme-challenge." + attempt.Identifier.TrimEnd('.');
        var expected = DigestOf(attempt.KeyAuthorization);
        var server = await resolvers.GetAsync(cancellationToken).ConfigureAwait(false);
        var where = AcmeDnsResolver.Describe(server);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var client = Client(server);
            if (client is null)
            {
                return AcmeProblem.Dns($"{name}: the panel's system has no DNS server configured. Set the one the boxes update with acme dns-resolver ADDRESS[:PORT].");
            }

            var response = await client.QueryAsync(name + ".", QueryType.TXT, QueryClass.IN, deadline.Token).ConfigureAwait(false);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                return AcmeProblem.Dns($"{name}: {where} says the name does not exist (NXDOMAIN). The client must publish the TXT record there before answering the challenge; is {where} the DNS server it updates?");
            }

            if (response.HasError)
            {
                return AcmeProblem.Dns($"{name}: {where} answered {response.Header.ResponseCode} ({Pki.Display.Literal(response.ErrorMessage, 80)}) to the TXT query.");
            }

            var values = response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
            if (values.Count == 0)
            {
                return AcmeProblem.Unauthorized($"{name}: {where} has no TXT record there. The client must publish one holding {expected} before answering the challenge.");
            }

            if (values.Contains(expected, StringComparer.Ordinal))
            {
                return null;
            }

            var shown = string.Join(", ", values.Take(ShownRecords).Select(v => $"\"{Pki.Display.Literal(v, 60)}\""));
            return AcmeProblem.Unauthorized(
                $"{name}: {where} holds {values.Count} TXT record{(values.Count == 1 ? "" : "s")} ({shown}{(values.Count > ShownRecords ? ", …" : "")}) but none with this challenge's value {expected}. An old record, or a DNS server not yet updated?");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(name, where);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return TimedOut(name, where);
        }
        catch (DnsResponseException e)
        {
            return AcmeProblem.Dns($"{name}: the TXT query to {where} failed ({Pki.Display.Literal(e.Message, 120)}).");
        }
    }

    /// <summary>The TXT value a client publishes: base64url(SHA-256(key authorization)) (RFC 8555 §8.4).</summary>
    public static string DigestOf(string keyAuthorization) =>
        AcmeBase64.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization ?? throw new ArgumentNullException(nameof(keyAuthorization)))));

    /// <summary>A client asking the operator's server, or the system's; null when the system names none.</summary>
    private LookupClient? Client(System.Net.IPEndPoint? server)
    {
        try
        {
            var options = server is null ? new LookupClientOptions() : new LookupClientOptions(new NameServer(server));
            options.UseCache = false;
            options.Timeout = timeout / 2;
            options.Retries = 1;
            options.ThrowDnsErrors = false;
            options.UseTcpFallback = true;
            options.ContinueOnDnsError = false;
            return new LookupClient(options);
        }
        catch (Exception e) when (server is null && e is InvalidOperationException or ArgumentException)
        {
            // DnsClient found no name server in the system's configuration.
            return null;
        }
    }

    private AcmeProblem TimedOut(string name, string where) =>
        AcmeProblem.Dns($"{name}: no answer from {where} within {timeout.TotalSeconds:0} s. Is the DNS server running and reachable from the panel?");
}
