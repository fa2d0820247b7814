using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Web.Cli;

/// <summary>`acme enable|update|disable|show|eab|accounts|orders|resolve|dns-resolver`: each CA held here as an ACME directory.</summary>
internal static class AcmeCommands
{
    public static Command Create(CliContext cli)
    {
        var acme = new Command("acme", "Serve a CA held here as an ACME directory (RFC 8555) so boxes get and renew certificates by themselves.");
        acme.Add(ChangeCommand(cli, "enable", "Turn the CA's ACME directory on (the first time with the defaults: 90 days, http-01 and tls-alpn-01, EAB required), changing what is given."));
        acme.Add(ChangeCommand(cli, "update", "Change the directory's policy; on or off stays as it is."));
        acme.Add(DisableCommand(cli));
        acme.Add(ShowCommand(cli));
        acme.Add(EabCommand(cli));
        acme.Add(AccountsCommand(cli));
        acme.Add(OrdersCommand(cli));
        acme.Add(ResolveCommand(cli));
        acme.Add(DnsResolverCommand(cli));
        return acme;
    }

    private static Option<int> CaOption() => new("--ca") { Description = "The CA's id (see `ca list`).", Required = true };

    private static Command ChangeCommand(CliContext cli, string name, string description)
    {
        var command = new Command(name, description);
        var ca = CaOption();
        var days = new Option<int?>("--lifetime-days") { Description = "Lifetime of issued certificates in days (1 to 397; default 90)." };
        var hours = new Option<int?>("--lifetime-hours") { Description = "Lifetime in hours instead (1 to 9528), for short-lived certificates." };
        var dns = new Option<string[]>("--allow-dns")
        {
            Description = "A DNS suffix the directory may issue for (repeat; default: the CA's name constraints).",
            AllowMultipleArgumentsPerToken = true,
        };
        var ip = new Option<string[]>("--allow-ip")
        {
            Description = "An address range (CIDR) it may issue for (repeat; default: the CA's name constraints).",
            AllowMultipleArgumentsPerToken = true,
        };
        var challenges = new Option<string?>("--challenges") { Description = $"The challenge types offered, comma-separated ({string.Join(",", AcmeChallengeTypes.All)})." };
        var httpPort = new Option<int?>("--http-port") { Description = "The port http-01 validation connects to (default 80)." };
        var alpnPort = new Option<int?>("--tls-alpn-port") { Description = "The port tls-alpn-01 validation connects to (default 443)." };
        var noEab = new Option<bool>("--no-eab") { Description = "Let any client open an account, without an EAB key made here." };
        var eab = new Option<bool>("--eab") { Description = "Require an EAB key for new accounts again (the default)." };
        var crl = new Option<bool>("--crl-in-certificates")
        {
            Description = "Name the CA's CRL URL (/acme/ID/crl) in the certificates the directory issues; only if every client can reach it.",
        };
        var noCrl = new Option<bool>("--no-crl-in-certificates") { Description = "Issue certificates without a CRL URL again (the default)." };
        foreach (var option in new Option[] { ca, days, hours, dns, ip, challenges, httpPort, alpnPort, noEab, eab, crl, noCrl })
        {
            command.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(days) is not null && parse.GetValue(hours) is not null)
            {
                return await cli.FailAsync("Give --lifetime-days or --lifetime-hours, not both.").ConfigureAwait(false);
            }

            if (parse.GetValue(noEab) && parse.GetValue(eab))
            {
                return await cli.FailAsync("Give --eab or --no-eab, not both.").ConfigureAwait(false);
            }

            if (parse.GetValue(crl) && parse.GetValue(noCrl))
            {
                return await cli.FailAsync("Give --crl-in-certificates or --no-crl-in-certificates, not both.").ConfigureAwait(false);
            }

            TimeSpan? lifetime = parse.GetValue(days) is { } d ? (d is > 0 and <= 397 ? TimeSpan.FromDays(d) : TimeSpan.FromDays(-1))
                : parse.GetValue(hours) is { } h ? (h is > 0 and <= 9528 ? TimeSpan.FromHours(h) : TimeSpan.FromHours(-1)) : null;
            var draft = new AcmePolicyDraft
            {
                Lifetime = lifetime,
                AllowDns = parse.GetResult(dns) is null ? null : parse.GetValue(dns),
                AllowIp = parse.GetResult(ip) is null ? null : parse.GetValue(ip),
                Challenges = parse.GetValue(challenges)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                HttpPort = parse.GetValue(httpPort),
                TlsAlpnPort = parse.GetValue(alpnPort),
                RequireEab = parse.GetValue(noEab) ? false : parse.GetValue(eab) ? true : null,
                PointToCrl = parse.GetValue(crl) ? true : parse.GetValue(noCrl) ? false : null,
            };
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var service = new AcmeDirectoryService(storage, cli.Time);
            var changed = name == "enable"
                ? await service.EnableAsync(parse.GetValue(ca), draft, cli.Actor, cancellationToken).ConfigureAwait(false)
                : await service.UpdateAsync(parse.GetValue(ca), draft, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(changed, Describe, Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command DisableCommand(CliContext cli)
    {
        var command = new Command("disable", "Turn the directory off: its URLs answer 404; accounts, EAB keys and the policy are kept for turning it on again.");
        var ca = CaOption();
        command.Add(ca);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var changed = await new AcmeDirectoryService(storage, cli.Time).DisableAsync(parse.GetValue(ca), cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(changed, Describe, Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ShowCommand(CliContext cli)
    {
        var command = new Command("show", "The directory's URL path, its policy and its counts.");
        var ca = CaOption();
        command.Add(ca);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var shown = await new AcmeDirectoryService(storage, cli.Time).ShowAsync(parse.GetValue(ca), cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(shown, Describe, Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command EabCommand(CliContext cli)
    {
        var eab = new Command("eab", "External account binding keys: what a client needs to open an account when the directory requires it.");
        var create = new Command("create", "Make an EAB key: its key id and HMAC key are printed this once (never shown again).");
        var ca = CaOption();
        var label = new Option<string?>("--label") { Description = "What the key is for (for example \"proxmox\")." };
        create.Add(ca);
        create.Add(label);
        create.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var made = await new AcmeDirectoryService(storage, cli.Time).CreateEabKeyAsync(parse.GetValue(ca), parse.GetValue(label), cli.Actor, cancellationToken)
                .ConfigureAwait(false);
            return await cli.ReportAsync(made,
                k => $"EAB key id: {k.KeyId}\nHMAC key:   {k.HmacKey}\nGive both to the client once (certbot --eab-kid/--eab-hmac-key, lego --eab --kid/--hmac); the HMAC key is not shown again.",
                k => new { keyId = k.KeyId, hmacKey = k.HmacKey, label = k.Label }).ConfigureAwait(false);
        });
        var list = new Command("list", "The directory's EAB keys (never their HMAC keys), with the account each bound.");
        var listCa = CaOption();
        list.Add(listCa);
        list.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var keys = await new AcmeDirectoryService(storage, cli.Time).EabKeysAsync(parse.GetValue(listCa), cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(keys, k => string.Create(CultureInfo.InvariantCulture,
                    $"{k.KeyId}\t{(k.RevokedAt is null ? k.AccountId is { } a ? $"bound to account {a}" : "unused" : "revoked")}\t{k.CreatedAt:yyyy-MM-dd}\t{k.Label}"),
                k => new { keyId = k.KeyId, label = k.Label, createdAt = k.CreatedAt, createdBy = k.CreatedBy, revokedAt = k.RevokedAt, accountId = k.AccountId })
                .ConfigureAwait(false);
        });
        var revoke = new Command("revoke", "Revoke an EAB key: no new account can use it.");
        var revokeCa = CaOption();
        var keyId = new Argument<string>("KEY_ID") { Description = "The key id." };
        revoke.Add(revokeCa);
        revoke.Add(keyId);
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var revoked = await new AcmeDirectoryService(storage, cli.Time).RevokeEabKeyAsync(parse.GetValue(revokeCa), parse.GetValue(keyId)!, cli.Actor, cancellationToken)
                .ConfigureAwait(false);
            return await cli.ReportAsync(revoked, k => $"Revoked EAB key {k.KeyId}.", k => new { keyId = k.KeyId, revokedAt = k.RevokedAt }).ConfigureAwait(false);
        });
        eab.Add(create);
        eab.Add(list);
        eab.Add(revoke);
        return eab;
    }

    private static Command AccountsCommand(CliContext cli)
    {
        var command = new Command("accounts", "The directory's accounts: key thumbprint, contacts, status, when made and from where.");
        var ca = CaOption();
        command.Add(ca);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var accounts = await new AcmeDirectoryService(storage, cli.Time).AccountsAsync(parse.GetValue(ca), cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(accounts, a => string.Create(CultureInfo.InvariantCulture,
                    $"{a.Id}\t{a.Status}\t{a.CreatedAt:yyyy-MM-dd HH:mm}\t{a.CreatedFrom}\t{(a.LastOrderAt is { } last ? $"last order {last:yyyy-MM-dd}" : "no order")}\t{string.Join(" ", a.Contact)}"),
                a => new { id = a.Id, status = a.Status, thumbprint = a.Thumbprint, contact = a.Contact, createdAt = a.CreatedAt, createdFrom = a.CreatedFrom, eabKeyId = a.EabKeyId, lastOrderAt = a.LastOrderAt })
                .ConfigureAwait(false);
        });
        return command;
    }

    private static Command OrdersCommand(CliContext cli)
    {
        var command = new Command("orders", "The directory's orders, newest first, with the reason for each failure.");
        var ca = CaOption();
        var limit = new Option<int>("--limit") { Description = "How many (1 to 1000).", DefaultValueFactory = _ => 50 };
        command.Add(ca);
        command.Add(limit);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(limit) is < 1 or > 1000)
            {
                return await cli.FailAsync("--limit must be from 1 to 1000.").ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var orders = await new AcmeDirectoryService(storage, cli.Time).OrdersAsync(parse.GetValue(ca), parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(orders, o => string.Create(CultureInfo.InvariantCulture,
                    $"{o.Id}\t{o.Status}\taccount {o.AccountId}\t{o.CreatedAt:yyyy-MM-dd HH:mm}\t{string.Join(" ", o.Identifiers)}{(o.CertificateId is { } c ? $"\tcertificate {c}" : "")}{(o.Replaces is { } r ? $"\treplaces {r}" : "")}{(o.Error is { } e ? $"\t{e}" : "")}"),
                o => new { id = o.Id, status = o.Status, accountId = o.AccountId, identifiers = o.Identifiers, createdAt = o.CreatedAt, expiresAt = o.ExpiresAt, error = o.Error, certificateId = o.CertificateId, replaces = o.Replaces })
                .ConfigureAwait(false);
        });
        return command;
    }

    private static Command ResolveCommand(CliContext cli)
    {
        var command = new Command("resolve",
            "Addresses validation uses for names before DNS: NAME=ADDRESS (repeat). With none given, prints the list; --clear empties it.");
        var entries = new Argument<string[]>("NAME=ADDRESS") { Arity = ArgumentArity.ZeroOrMore, Description = "For example nas.lab.internal=192.168.1.20." };
        var clear = new Option<bool>("--clear") { Description = "Remove every entry." };
        command.Add(entries);
        command.Add(clear);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(entries) ?? [];
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var resolver = new AcmeResolver(storage);
            if (given.Length == 0 && !parse.GetValue(clear))
            {
                var list = await resolver.OverridesAsync(cancellationToken).ConfigureAwait(false);
                return await cli.ListAsync(list.SelectMany(p => p.Value.Select(a => (Name: p.Key, Address: a.ToString()))),
                    e => $"{e.Name}={e.Address}", e => new { name = e.Name, address = e.Address }).ConfigureAwait(false);
            }

            var set = await new AcmeDirectoryService(storage, cli.Time).SetResolverAsync(parse.GetValue(clear) ? [] : given, cli.Actor, cancellationToken)
                .ConfigureAwait(false);
            return await cli.ReportAsync(set, text => text.Length == 0 ? "The validation resolver list is empty." : $"Validation resolves:\n{text}",
                text => new { entries = text.Split('\n', StringSplitOptions.RemoveEmptyEntries) }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command DnsResolverCommand(CliContext cli)
    {
        var command = new Command("dns-resolver",
            "The DNS server dns-01 validation asks for _acme-challenge TXT records: ADDRESS[:PORT]. With none given, prints it; --clear goes back to the system resolver.");
        var address = new Argument<string?>("ADDRESS[:PORT]") { Arity = ArgumentArity.ZeroOrOne, Description = "For example 192.168.1.1 or 192.168.1.1:5353 (port 53 when left out)." };
        var clear = new Option<bool>("--clear") { Description = "Use the system resolver again." };
        command.Add(address);
        command.Add(clear);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(address);
            if (given is not null && parse.GetValue(clear))
            {
                return await cli.FailAsync("Give an address or --clear, not both.").ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var resolvers = new AcmeDnsResolver(storage);
            var set = given is null && !parse.GetValue(clear)
                ? Pki.Result.Success(await resolvers.GetAsync(cancellationToken).ConfigureAwait(false) is { } current ? AcmeDnsResolver.Describe(current) : "")
                : await resolvers.SetAsync(given, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(set, text => $"dns-01 validation asks {(text.Length == 0 ? AcmeDnsResolver.Describe(null) : text)}.",
                text => new { resolver = text.Length == 0 ? null : text }).ConfigureAwait(false);
        });
        return command;
    }

    private static readonly AcmeLimits Limits = AcmeLimits.HomeLab;

    private static string Describe(AcmeDirectorySummary d)
    {
        var policy = d.Policy;
        var names = string.Join(", ", [.. policy.AllowedNames.PermittedDnsSuffixes, .. policy.AllowedNames.PermittedIpRanges.Select(r => r.ToString())]);
        return string.Create(CultureInfo.InvariantCulture, $"""
            ACME directory of CA {d.AuthorityId} "{d.AuthorityName}": {(d.Enabled ? "on" : "off")}
            Directory URL: https://<the panel's address>{AcmeUrls.PathPrefix(d.AuthorityId)}directory
            Lifetime: {Lifetime(policy.Lifetime)} (never past the CA's end, {d.AuthorityNotAfter:yyyy-MM-dd})
            Issues for: {(names.Length == 0 ? "nothing" : names)}{(d.AllowedFromAuthority ? " (the CA's name constraints)" : "")}
            Challenges: {string.Join(", ", AcmeChallengeTypes.All.Where(policy.Challenges.Contains))} (http-01 on port {policy.HttpPort}, tls-alpn-01 on port {policy.TlsAlpnPort})
            External account binding: {(policy.RequireEab ? "required" : "not required")}
            CRL: {AcmeUrls.PathPrefix(d.AuthorityId)}crl, {(policy.PointToCrl ? "named in issued certificates" : "not named in issued certificates")}
            Limits per hour: {Limits.AccountsPerAddress} new accounts per client address, {Limits.OrdersPerAccount} orders per account and {Limits.OrdersPerAddress} per address, {Limits.FailedValidationsPerAccount} failed validations per account
            Accounts: {d.Accounts}; EAB keys in use or unused: {d.EabKeys}
            """);
    }

    private static string Lifetime(TimeSpan lifetime) =>
        lifetime.TotalHours % 24 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalDays:0} days") : string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalHours:0} hours");

    private static object Json(AcmeDirectorySummary d) => new
    {
        authorityId = d.AuthorityId,
        authorityName = d.AuthorityName,
        enabled = d.Enabled,
        directoryPath = AcmeUrls.PathPrefix(d.AuthorityId) + "directory",
        lifetimeHours = (int)d.Policy.Lifetime.TotalHours,
        allowDns = d.Policy.AllowedNames.PermittedDnsSuffixes,
        allowIp = d.Policy.AllowedNames.PermittedIpRanges.Select(r => r.ToString()),
        allowedFromAuthority = d.AllowedFromAuthority,
        challenges = AcmeChallengeTypes.All.Where(d.Policy.Challenges.Contains),
        httpPort = d.Policy.HttpPort,
        tlsAlpnPort = d.Policy.TlsAlpnPort,
        requireEab = d.Policy.RequireEab,
        crlInCertificates = d.Policy.PointToCrl,
        accounts = d.Accounts,
        eabKeys = d.EabKeys,
    };
}
