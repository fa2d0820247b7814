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
        create.Add(cn);
        create.Add(key);
        create.Add(days);
        create.Add(permitDns);
        create.Add(permitIp);
        create.SetAction(async (parse, cancellationToken) =>
        {
            var subject = DistinguishedName.Create(parse.GetValue(cn));
            var algorithm = CliOptions.ParseKey(parse.GetValue(key), KeyAlgorithm.Rsa3072);
            var constraints = NameConstraints.Create(parse.GetValue(permitDns) ?? [], parse.GetValue(permitIp) ?? []);
            var problem = subject.Error ?? algorithm.Error ?? constraints.Error;
            if (problem is not null)
            {
                return await cli.FailAsync(problem).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var result = await new AuthorityService(storage, cli.Time).CreateRootAsync(new RootCaOptions
            {
                Subject = subject.Value,
                KeyAlgorithm = algorithm.Value,
                ValidityDays = parse.GetValue(days),
                NameConstraints = constraints.Value,
            }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(result, a => $"Created CA {a.Id}: {a.Subject} (certificate {a.CertificateId}, until {a.NotAfter:yyyy-MM-dd})",
                a => new { id = a.Id, authorityId = a.Id, certificateId = a.CertificateId, subject = a.Subject.ToString(), notAfter = a.NotAfter }).ConfigureAwait(false);
        });
        ca.Add(create);

        var list = new Command("list", "List the CAs held here.");
        list.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            return await cli.ListAsync(await new AuthorityService(storage, cli.Time).ListAsync(cancellationToken).ConfigureAwait(false),
                a => string.Create(CultureInfo.InvariantCulture, $"{a.Id}\t{a.Subject}\tuntil {a.NotAfter:yyyy-MM-dd}\t{a.KeyDescription}\tissued {a.IssuedCount}"),
                a => new { id = a.Id, subject = a.Subject.ToString(), notAfter = a.NotAfter, key = a.KeyDescription, issuedCount = a.IssuedCount }).ConfigureAwait(false);
        });
        ca.Add(list);
        return ca;
    }
}
