using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Acme;

public sealed partial class AcmeServer
{
    private async Task<AcmeResponse> FinalizeAsync(PanelDbContext db, Caller caller, int? id, CancellationToken cancellationToken)
    {
        var found = await OwnOrderAsync(db, caller, id, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Problem!;
        }

        var order = found.Value;
        var status = AcmeOrders.StatusAt(order, Now);
        if (status != AcmeStatus.Ready)
        {
            return AcmeProblem.OrderNotReady(status switch
            {
                AcmeStatus.Pending => "The order is not ready: prove control of every identifier first (its authorizations are still pending).",
                AcmeStatus.Valid => "The order is already finalized; download its certificate.",
                AcmeStatus.Processing => "The order is being finalized; poll it.",
                _ => $"The order is {status}; place a new order.",
            });
        }

        var payload = caller.Request.ReadPayload();
        if (!payload.IsSuccess)
        {
            return payload.Problem!;
        }

        CertificateSigningRequest csr;
        using (var document = payload.Value)
        {
            var text = document.RootElement.TryGetProperty("csr", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (!AcmeBase64.TryDecode(text, out var der))
            {
                return AcmeProblem.Malformed("Finalize needs \"csr\": the DER certificate signing request in base64url without padding.");
            }

            var parsed = CertificateSigningRequest.FromDer(der);
            if (!parsed.IsSuccess)
            {
                return AcmeProblem.BadCsr(parsed.Error!);
            }

            csr = parsed.Value;
        }

        var names = ExactNames(csr, order);
        if (names is not null)
        {
            return AcmeProblem.BadCsr(names);
        }

        if (AcmeKeys.Read(caller.Account.Jwk).Matches(csr.SubjectPublicKeyInfo.Span))
        {
            // RFC 8555 §11.1: the account key signs requests; a certificate for it would let one key do both.
            return AcmeProblem.BadCsr("The CSR uses the account's own key. Make a separate key for the certificate.");
        }

        if (!await MarkAsync(db, order.Id, AcmeStatus.Ready, AcmeStatus.Processing, null, null, cancellationToken).ConfigureAwait(false))
        {
            return AcmeProblem.OrderNotReady("The order is being finalized by another request; poll it.");
        }

        var identifiers = OrderNames(order);
        var signed = await signing.SignAsync(caller.Context.AuthorityId, csr, new SignRequestOptions
        {
            SubjectAlternativeNames = identifiers,
            Lifetime = TimeSpan.FromHours(caller.Directory.LifetimeHours),
            CommonNameOnly = true,
            CrlDistributionPoint = caller.Directory.PointToCrl ? new Uri(caller.Urls.Crl) : null,
        }, $"ACME: {identifiers[0]} (account {caller.Account.Id})", Actor(caller.Account.Id), cancellationToken).ConfigureAwait(false);
        if (!signed.IsSuccess)
        {
            // What the CSR asks for is refused (a weak key, a name the CA's constraints exclude): the order cannot end
            // otherwise, so it fails with the reason rather than waiting for a CSR that would fail the same way.
            var problem = AcmeProblem.BadCsr(signed.Error!);
            await MarkAsync(db, order.Id, AcmeStatus.Processing, AcmeStatus.Invalid, AcmeProblems.Serialize(problem), null, cancellationToken).ConfigureAwait(false);
            return problem;
        }

        await MarkAsync(db, order.Id, AcmeStatus.Processing, AcmeStatus.Valid, null, signed.Value.CertificateId, cancellationToken).ConfigureAwait(false);
        var done = await OwnOrderAsync(db, caller, id, cancellationToken).ConfigureAwait(false);
        return AcmeResponse.Ok(OrderJson(caller.Urls, done.Value, Now)) with { Location = caller.Urls.Order(order.Id) };
    }

    private static async Task<AcmeResponse> CertificateAsync(PanelDbContext db, Caller caller, int? id, int alternate, CancellationToken cancellationToken)
    {
        if (!caller.Request.IsPostAsGet)
        {
            return AcmeProblem.Malformed("A certificate is downloaded with POST-as-GET (an empty payload).");
        }

        var accountId = caller.Account.Id;
        var owned = await db.AcmeOrders.AsNoTracking().AnyAsync(o => o.AccountId == accountId && o.CertificateId == id && o.Status == AcmeStatus.Valid, cancellationToken)
            .ConfigureAwait(false);
        var record = owned ? await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false) : null;
        if (record is null)
        {
            return new AcmeProblem("about:blank", "There is no such certificate for this account (it may have been deleted on the panel).", 404);
        }

        var chains = new List<IReadOnlyList<Certificate>> { Records.ChainOf(record) };
        chains.AddRange(await AlternateChainsAsync(db, record, chains[0], cancellationToken).ConfigureAwait(false));
        if (alternate >= chains.Count)
        {
            return new AcmeProblem("about:blank",
                $"Certificate {record.Id} has {(chains.Count == 1 ? "no alternate chain" : $"alternate chains 1 to {chains.Count - 1}")}; there is no chain {alternate}.", 404);
        }

        var pem = new StringBuilder(Records.ToCertificate(record).ToPem());
        // The chain up to the root, without the root when an intermediate is there: devices already trust the root,
        // and servers send what they are given. A leaf the root signed itself gets the root, because certbot refuses
        // a chain of one certificate ("less than 2 certificates in chain").
        var issuers = chains[alternate];
        foreach (var issuer in issuers.Where(c => !c.IsSelfIssued || issuers.Count == 1))
        {
            pem.Append(issuer.ToPem());
        }

        // RFC 8555 §7.4.2: each other chain of the same certificate is offered as an "alternate" link.
        var links = Enumerable.Range(0, chains.Count).Where(i => i != alternate)
            .Select(i => AcmeResponse.Link(caller.Urls.Certificate(record.Id, i), "alternate")).ToList();
        return new AcmeResponse(200, null) { Text = pem.ToString(), Links = links };
    }

    /// <summary>
    /// The other paths from a certificate to a trust anchor: another certificate held here of its issuer (the same name and
    /// key, so it verifies the same signature), such as an intermediate cross-signed by a second root, each followed by its
    /// own stored chain.
    /// </summary>
    private static async Task<List<IReadOnlyList<Certificate>>> AlternateChainsAsync(PanelDbContext db, CertificateRecord record,
        IReadOnlyList<Certificate> chain, CancellationToken cancellationToken)
    {
        var alternates = new List<IReadOnlyList<Certificate>>();
        if (chain.Count == 0)
        {
            return alternates;
        }

        var issuer = chain[0];
        var candidates = await db.Certificates.AsNoTracking()
            .Where(c => c.IsCertificateAuthority && c.Subject == record.Issuer && c.Id != record.Id)
            .OrderBy(c => c.Id).Select(c => new { c.Der, c.ChainPem })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var candidate in candidates)
        {
            var parsed = Certificate.FromDer(candidate.Der);
            if (!parsed.IsSuccess || parsed.Value.Equals(issuer) || !parsed.Value.SubjectPublicKeyInfo.Span.SequenceEqual(issuer.SubjectPublicKeyInfo.Span)
                || alternates.Any(a => a[0].Equals(parsed.Value)))
            {
                continue;
            }

            var above = Records.ChainDer(candidate.ChainPem).Select(der => Certificate.FromDer(der.Span)).Where(c => c.IsSuccess).Select(c => c.Value);
            alternates.Add([parsed.Value, .. above]);
        }

        return alternates;
    }

    private async Task<bool> MarkAsync(PanelDbContext db, int orderId, string from, string to, string? error, int? certificateId, CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var order = await db.AcmeOrders.SingleAsync(o => o.Id == orderId, cancellationToken).ConfigureAwait(false);
            if (order.Status != from)
            {
                return false;
            }

            order.Status = to;
            order.Error = error;
            order.CertificateId = certificateId ?? order.CertificateId;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            return true;
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private static List<SubjectAlternativeName> OrderNames(AcmeOrderRecord order) =>
        AcmePolicy.Lines(order.Identifiers).Select(line => line.StartsWith("ip:", StringComparison.Ordinal)
            ? SubjectAlternativeName.Ip(line[3..])
            : SubjectAlternativeName.Dns(line[4..])).ToList();

    /// <summary>Why the CSR's names are not exactly the order's identifiers (RFC 8555 §7.4), or null when they are.</summary>
    private static string? ExactNames(CertificateSigningRequest csr, AcmeOrderRecord order)
    {
        if (csr.UnsupportedAlternativeNames.Count > 0)
        {
            return $"The CSR asks for names ACME does not issue ({string.Join(", ", csr.UnsupportedAlternativeNames.Take(3))}); only DNS names and IP addresses.";
        }

        var wanted = OrderNames(order);
        var asked = csr.SubjectAlternativeNames.Where(n => n.Kind is SanKind.Dns or SanKind.IpAddress).ToList();
        if (asked.Count != csr.SubjectAlternativeNames.Count)
        {
            return "The CSR asks for e-mail addresses or URIs; an ACME certificate carries only the order's DNS names and IP addresses.";
        }

        if (csr.Subject.CommonName is { } cn)
        {
            var parsed = SubjectAlternativeName.Parse(cn);
            if (!parsed.IsSuccess || !wanted.Contains(parsed.Value))
            {
                return $"The CSR's common name \"{Pki.Display.Literal(cn)}\" is not one of the order's identifiers.";
            }

            if (!asked.Contains(parsed.Value))
            {
                asked.Add(parsed.Value);
            }
        }

        var extra = asked.Where(n => !wanted.Contains(n)).Select(n => n.Value).ToList();
        var missing = wanted.Where(n => !asked.Contains(n)).Select(n => n.Value).ToList();
        if (extra.Count > 0)
        {
            return $"The CSR names {string.Join(", ", extra.Take(5))}, which the order does not; the CSR must name exactly the order's identifiers.";
        }

        return missing.Count > 0
            ? $"The CSR leaves out {string.Join(", ", missing.Take(5))}; the CSR must name exactly the order's identifiers."
            : null;
    }
}
