using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Web.Cli;

internal static class CaCommands
{
    public static Command Create(CliContext cli)
    {
        var ca = new Command("ca", "Certificate authorities held here.");
        var create = new Command("create", "Create a root CA (optionally name-constrained).");
        var cn = CliOptions.CommonName();
        var key = CliOptions.Key();
        var days = CliOptions.Days();
        var permitDns = new Option<string[]>("--permit-dns") { Description = "Permitted DNS suffix (repeat), e.g. home.arpa.", AllowMultipleArgumentsPerToken = true };
        var permitIp = new Option<string[]>("--permit-ip") { Description = "Permitted IP range in CIDR form (repeat), e.g. 192.168.0.0/16.", AllowMultipleArgumentsPerToken = true };
        var parent = new Option<int?>("--parent") { Description = "Create an intermediate CA under this CA held here (a root made with --allow-intermediates)." };
        var allowIntermediates = new Option<bool>("--allow-intermediates") { Description = "A root that may sign intermediate CAs (pathLen 1 instead of 0)." };
        foreach (var option in new Option[] { cn, key, days, permitDns, permitIp, parent, allowIntermediates })
        {
            create.Add(option);
        }

        create.SetAction(async (parse, cancellationToken) =>
        {
            var subject = DistinguishedName.Create(parse.GetValue(cn));
            var parentId = parse.GetValue(parent);
            // An intermediate's key is P-256 by default, as the engine's: it signs often, and every client verifies P-256.
            var algorithm = CliOptions.ParseKey(parse.GetValue(key), parentId is null ? KeyAlgorithm.Rsa3072 : KeyAlgorithm.EcdsaP256);
            var constraints = NameConstraints.Create(parse.GetValue(permitDns) ?? [], parse.GetValue(permitIp) ?? []);
            var problem = subject.Error ?? algorithm.Error ?? constraints.Error
                ?? (parentId is not null && parse.GetValue(allowIntermediates) ? "--allow-intermediates is for roots: an intermediate here signs only server and client certificates." : null);
            if (problem is not null)
            {
                return await cli.FailAsync(problem).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var authorities = new AuthorityService(storage, cli.Time);
            var result = parentId is { } parentAuthority
                ? await authorities.CreateIntermediateAsync(parentAuthority, new IntermediateCaOptions
                {
                    Subject = subject.Value,
                    KeyAlgorithm = algorithm.Value,
                    ValidityDays = parse.GetValue(days),
                    NameConstraints = constraints.Value,
                }, cli.Actor, cancellationToken).ConfigureAwait(false)
                : await authorities.CreateRootAsync(new RootCaOptions
                {
                    Subject = subject.Value,
                    KeyAlgorithm = algorithm.Value,
                    ValidityDays = parse.GetValue(days),
                    NameConstraints = constraints.Value,
                    AllowIntermediates = parse.GetValue(allowIntermediates),
                }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(result,
                a => $"Created {(a.IsRoot ? "CA" : "intermediate CA")} {a.Id}{(a.IsRoot ? string.Empty : $" under CA {a.ParentId}")}: {a.Subject} (certificate {a.CertificateId}, until {a.NotAfter:yyyy-MM-dd})",
                a => new { id = a.Id, authorityId = a.Id, certificateId = a.CertificateId, subject = a.Subject.ToString(), notAfter = a.NotAfter, isRoot = a.IsRoot, parentId = a.ParentId })
                .ConfigureAwait(false);
        });
        ca.Add(create);

        var list = new Command("list", "List the CAs held here.");
        cli.Remote.Add("ca list", list, (_, panel, cancellationToken) => Remote.RemoteCaCommands.ListAsync(cli, panel, cancellationToken));
        list.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var authorities = await new AuthorityService(storage, cli.Time).ListAsync(cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(authorities.Select(a => new AuthorityRow(a.Id, a.Subject, a.NotAfter, a.KeyDescription, a.IssuedCount, a.IsRoot, a.ParentId)),
                a => a.Text(), a => a).ConfigureAwait(false);
        });
        ca.Add(list);
        return ca;
    }
}

/// <summary>A line of `ca list`, here and against a remote panel; with --json, these fields.</summary>
internal sealed record AuthorityRow(int Id, string Subject, DateTimeOffset NotAfter, string Key, int IssuedCount, bool IsRoot, int? ParentId)
{
    public string Text() => string.Create(CultureInfo.InvariantCulture,
        $"{Id}\t{Subject}\tuntil {NotAfter:yyyy-MM-dd}\t{Key}\tissued {IssuedCount}\t{(IsRoot ? "root" : ParentId is { } p ? $"intermediate of CA {p}" : "intermediate (root not held here)")}");
}
