using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Cli.Remote;

namespace SynoCertPanel.Web.Cli;

internal static class CertCommands
{
    public static Command Create(CliContext cli)
    {
        var cert = new Command("cert", "Certificates in the inventory.");
        cert.Add(CreateCommand(cli));
        cert.Add(ListCommand(cli));
        cert.Add(ShowCommand(cli));
        cert.Add(CertRenewCommand.Create(cli));
        cert.Add(EditCommand(cli));
        cert.Add(SetDefaultCommand(cli));
        cert.Add(DeleteCommand(cli));
        cert.Add(CertTransferCommands.ImportCommand(cli));
        cert.Add(CertTransferCommands.ExportCommand(cli));
        return cert;
    }

    private static Command CreateCommand(CliContext cli)
    {
        var command = new Command("create", "Issue a server certificate from a CA held here (or, with none, a new root and its certificate).");
        var cn = CliOptions.CommonName();
        var names = CliOptions.Names();
        var ca = new Option<int?>("--ca") { Description = "The CA to issue from (see `ca list`)." };
        var key = CliOptions.Key();
        var days = CliOptions.Days();
        var descriptionOption = new Option<string?>("--description") { Description = "A description shown in the list." };
        var setDefault = new Option<bool>("--set-default") { Description = "Serve this certificate on the panel's HTTPS listener." };
        foreach (var option in new Option[] { cn, names, ca, key, days, descriptionOption, setDefault })
        {
            command.Add(option);
        }

        cli.Remote.Add("cert create", command, (parse, panel, cancellationToken) => RemoteCertCommands.CreateAsync(cli, panel,
            new CertCreateArguments(parse.GetValue(cn)!, CliOptions.SplitNames(parse.GetValue(names)), parse.GetValue(key), parse.GetValue(days),
                parse.GetValue(descriptionOption), parse.GetValue(ca), parse.GetValue(setDefault)), cancellationToken));

        command.SetAction(async (parse, cancellationToken) =>
        {
            var subject = DistinguishedName.Create(parse.GetValue(cn));
            var sans = CliOptions.ParseNames(parse.GetValue(names));
            var algorithm = CliOptions.ParseKey(parse.GetValue(key), KeyAlgorithm.Rsa2048);
            var problem = subject.Error ?? sans.Error ?? algorithm.Error ?? (subject.Value.CommonName is null ? "--cn is empty." : null);
            if (problem is not null)
            {
                return await cli.FailAsync(problem).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var commonName = subject.Value.CommonName!;
            var leaf = new LeafOptions
            {
                Subject = subject.Value,
                SubjectAlternativeNames = sans.Value,
                KeyAlgorithm = algorithm.Value,
                ValidityDays = parse.GetValue(days),
            };
            var description = parse.GetValue(descriptionOption) ?? string.Empty;
            if (parse.GetValue(ca) is { } authorityId)
            {
                var issued = await new AuthorityService(storage, cli.Time).IssueAsync(authorityId, leaf, description, parse.GetValue(setDefault), cli.Actor,
                    cancellationToken).ConfigureAwait(false);
                return await cli.ReportAsync(issued, id => $"Created certificate {id}", id => new { id, certificateId = id, authorityId }).ConfigureAwait(false);
            }

            // With several CAs held here, the issuer refuses and names them, before it makes anything.
            var created = await new SoleAuthorityIssuer(storage, cli.Time).IssueAsync(new SelfSignedRequest
            {
                Root = new RootCaOptions { Subject = DistinguishedName.Create($"{commonName[..Math.Min(commonName.Length, 56)]} Root CA").Value },
                Server = leaf,
                Description = description,
                SetAsDefault = parse.GetValue(setDefault),
            }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(created,
                c => c.AuthorityCreated ? $"Created root CA {c.AuthorityId} and certificate {c.CertificateId}" : $"Created certificate {c.CertificateId}",
                c => new { id = c.CertificateId, certificateId = c.CertificateId, authorityId = c.AuthorityId }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ListCommand(CliContext cli)
    {
        var command = new Command("list", "List certificates (default first marker *, soonest expiry first; replaced ones only with --all).");
        var search = new Option<string?>("--search") { Description = "Only certificates whose description, name, SAN or issuer contains this." };
        var all = new Option<bool>("--all") { Description = "Also list certificates a renewal replaced (kept until deleted); \"total\" counts them too." };
        var limit = new Option<int?>("--limit") { Description = "At most this many (default: all)." };
        var offset = new Option<int>("--offset") { Description = "Skip this many first (default 0); with --json, \"total\" says how many there are." };
        command.Add(search);
        command.Add(all);
        command.Add(limit);
        command.Add(offset);
        CertListArguments Arguments(ParseResult parse) => new(parse.GetValue(search), parse.GetValue(all), parse.GetValue(offset), parse.GetValue(limit));
        cli.Remote.Add("cert list", command, (parse, panel, cancellationToken) => RemoteCertCommands.ListAsync(cli, panel, Arguments(parse), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var arguments = Arguments(parse);
            var (first, most) = (arguments.Offset, arguments.Limit);
            var problem = arguments.Problem();
            if (problem is not null)
            {
                return await cli.FailAsync(problem).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var page = await new InventoryService(storage, cli.Time).ListRangeAsync(new CertificateQuery { Search = arguments.Search, IncludeReplaced = arguments.IncludeReplaced },
                first, most,
                cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(page.Items.Select(CertificateRow.From), r => r.Text(), r => r, new ListRange(page.TotalCount, first, most))
                .ConfigureAwait(false);
        });
        return command;
    }

    private static Command ShowCommand(CliContext cli)
    {
        var command = new Command("show", "Show one certificate's details and PEM.");
        var id = new Argument<int>("ID");
        command.Add(id);
        cli.Remote.Add("cert show", command, (parse, panel, cancellationToken) => RemoteCertCommands.ShowAsync(cli, panel, parse.GetValue(id), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var details = await new InventoryService(storage, cli.Time).GetAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(details.Map(CertificateFacts.From), f => f.Text(), f => f).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The page's "Edit": a new description (the wizards' rules, not empty), then what uses the certificate.</summary>
    private static Command EditCommand(CliContext cli)
    {
        var command = new Command("edit", "Change a certificate's description, and show what uses it (the panel's listener, boxes, the CA it is).");
        var id = new Argument<int>("ID");
        var description = new Option<string>("--description")
        {
            Description = "The new description shown in the list (at most 200 characters, no line breaks or tabs).",
            Required = true,
        };
        command.Add(id);
        command.Add(description);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var inventory = new InventoryService(storage, cli.Time);
            var edited = await inventory.DescribeAsync(parse.GetValue(id), parse.GetValue(description), cli.Actor, cancellationToken).ConfigureAwait(false);
            var usage = edited.IsSuccess ? await inventory.FindUsageAsync(edited.Value, cancellationToken).ConfigureAwait(false) : null;
            return await cli.ReportAsync(edited.Bind(_ => usage!), UsageText, u => new
            {
                id = u.CertificateId,
                description = u.Description,
                servedByPanel = u.ServedByPanel,
                authorityId = u.Authority?.Id,
                intermediateIds = u.Intermediates.Select(i => i.Id).ToList(),
                replacedById = u.ReplacedById,
                boxes = u.Boxes.Select(b => new { id = b.BoxId, name = b.Name, deployed = b.Deployed, servedOn = b.ServedOn }).ToList(),
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static string UsageText(CertificateUsage usage)
    {
        var lines = new List<string> { $"Certificate {usage.CertificateId} is now described as \"{Pki.Display.Literal(usage.Description, 100)}\"." };
        if (usage.ServedByPanel)
        {
            lines.Add("Used by: the panel's HTTPS listener (it is the default).");
        }

        if (usage.Authority is { } authority)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"Used by: CA {authority.Id} \"{Pki.Display.Literal(authority.Name, 80)}\", which signed {authority.IssuedCount} certificate(s) here."));
        }

        lines.AddRange(usage.Intermediates.Select(i => string.Create(CultureInfo.InvariantCulture,
            $"Used by: intermediate CA {i.Id} \"{Pki.Display.Literal(i.Name, 80)}\", which it signed.")));
        lines.AddRange(usage.Boxes.Select(b => $"Used by: box \"{b.Name}\", "
            + (b.Deployed ? "its last successful deploy put it there" : $"served on {string.Join(", ", b.ServedOn)} at the last probe") + "."));
        if (usage.Unused)
        {
            lines.Add("Nothing here uses it.");
        }

        return string.Join('\n', lines);
    }

    private static Command SetDefaultCommand(CliContext cli)
    {
        var command = new Command("set-default", "Serve this certificate on the panel's HTTPS listener.");
        var id = new Argument<int>("ID");
        command.Add(id);
        cli.Remote.Add("cert set-default", command, (parse, panel, cancellationToken) =>
            RemoteCertChangeCommands.SetDefaultAsync(cli, panel, parse.GetValue(id), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null ? CliContext.Refused : await RunSetDefaultAsync(cli, storage, parse.GetValue(id), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>`cert set-default` itself, also what `service set listener` runs.</summary>
    internal static async Task<int> RunSetDefaultAsync(CliContext cli, Core.Storage.PanelStorage storage, int certificateId, CancellationToken cancellationToken) =>
        await cli.ReportAsync(await new InventoryService(storage, cli.Time).SetDefaultAsync(certificateId, cli.Actor, cancellationToken).ConfigureAwait(false),
            i => $"Certificate {i} is now the default", i => new { id = i }).ConfigureAwait(false);

    private static Command DeleteCommand(CliContext cli)
    {
        var command = new Command("delete", "Delete a certificate (and its key when nothing else uses it).");
        var id = new Argument<int>("ID");
        var force = new Option<bool>("--force") { Description = "Delete a CA even though certificates it issued have not expired." };
        command.Add(id);
        command.Add(force);
        cli.Remote.Add("cert delete", command, (parse, panel, cancellationToken) =>
            RemoteCertChangeCommands.DeleteAsync(cli, panel, parse.GetValue(id), parse.GetValue(force), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await cli.ReportAsync(await new InventoryService(storage, cli.Time).DeleteAsync(parse.GetValue(id), parse.GetValue(force), cli.Actor, cancellationToken).ConfigureAwait(false),
                    i => $"Deleted certificate {i}", i => new { id = i }).ConfigureAwait(false);
        });
        return command;
    }
}
