using System.CommandLine;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Cli;

internal static class CsrCommands
{
    /// <summary>The key `csr create` makes when --key is not given.</summary>
    public const KeyAlgorithm DefaultKey = KeyAlgorithm.Rsa2048;

    /// <summary>A CSR file is a few KiB; refuse to read anything much larger.</summary>
    private const int MaxFileBytes = 256 * 1024;

    public static Command Create(CliContext cli)
    {
        var csr = new Command("csr", "Certificate signing requests.");
        csr.Add(CreateCommand(cli));
        csr.Add(SignCommand(cli));
        csr.Add(CsrRequestCommands.ListCommand(cli));
        csr.Add(CsrRequestCommands.ShowCommand(cli));
        csr.Add(CsrRequestCommands.CancelCommand(cli));
        return csr;
    }

    private static Command CreateCommand(CliContext cli)
    {
        var command = new Command("create", "Create a CSR; its key stays here until the signed certificate is imported.");
        var cn = CliOptions.CommonName();
        var names = CliOptions.Names();
        var key = CliOptions.Key();
        var output = new Option<FileInfo>("--out") { Description = "Where to write the CSR (PEM).", Required = true };
        foreach (var option in new Option[] { cn, names, key, output })
        {
            command.Add(option);
        }

        cli.Remote.Add("csr create", command, (parse, panel, cancellationToken) => Remote.RemoteCsrCommands.CreateAsync(cli, panel, parse.GetValue(cn),
            parse.GetValue(names), parse.GetValue(key), parse.GetValue(output)!, cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var subject = DistinguishedName.Create(parse.GetValue(cn));
            var sans = CliOptions.ParseNames(parse.GetValue(names));
            var algorithm = CliOptions.ParseKey(parse.GetValue(key), DefaultKey);
            var problem = subject.Error ?? sans.Error ?? algorithm.Error;
            if (problem is not null)
            {
                return await cli.FailAsync(problem).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var pending = await new RequestService(storage, cli.Time).CreateAsync(subject.Value, sans.Value, algorithm.Value, string.Empty, cli.Actor,
                cancellationToken).ConfigureAwait(false);
            if (pending.IsSuccess)
            {
                await File.WriteAllTextAsync(parse.GetValue(output)!.FullName, pending.Value.Request.ToPem(), cancellationToken).ConfigureAwait(false);
            }

            return await ReportCreatedAsync(cli, pending.Map(p => p.Id), parse.GetValue(output)!.FullName).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>What `csr create` prints once the CSR is written (or why not), here and against a remote panel alike.</summary>
    internal static Task<int> ReportCreatedAsync(CliContext cli, Pki.Result<int> requestId, string file) =>
        cli.ReportAsync(requestId, id => $"Wrote the CSR to {file} (pending request {id}; the key stays here)",
            id => new { id, requestId = id, file });

    private static Command SignCommand(CliContext cli)
    {
        var command = new Command("sign", "Sign a CSR made on another box with a CA held here; writes the certificate and its chain.");
        var file = new Argument<FileInfo>("FILE.csr");
        var ca = new Option<int?>("--ca") { Description = "The CA to sign with (see `ca list`)." };
        var days = CliOptions.Days();
        var names = CliOptions.Names();
        names.Description = "Replace the request's names with these (repeat).";
        var output = new Option<FileInfo>("--out") { Description = "Where to write the certificate and its chain (PEM).", Required = true };
        command.Add(file);
        foreach (var option in new Option[] { ca, days, names, output })
        {
            command.Add(option);
        }

        cli.Remote.Add("csr sign", command, (parse, panel, cancellationToken) => Remote.RemoteCsrCommands.SignAsync(cli, panel, parse.GetValue(file)!,
            parse.GetValue(ca), parse.GetValue(days), parse.GetValue(names), parse.GetValue(output)!, cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = await ReadRequestAsync(parse.GetValue(file)!, cancellationToken).ConfigureAwait(false);
            var sans = parse.GetValue(names) is { Length: > 0 } given ? CliOptions.ParseNames(given) : null;
            var problem = request.Error ?? sans?.Error;
            if (problem is not null)
            {
                return await cli.FailAsync(problem).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var authorities = await new AuthorityService(storage, cli.Time).ListAsync(cancellationToken).ConfigureAwait(false);
            var authorityId = parse.GetValue(ca) ?? (authorities.Count == 1 ? authorities[0].Id : null);
            if (authorityId is null)
            {
                return await cli.FailAsync(authorities.Count == 0 ? "No CA is held here; create one with `ca create`." : "Several CAs are held here; choose one with --ca.").ConfigureAwait(false);
            }

            var signed = await new SigningService(storage, cli.Time).SignAsync(authorityId.Value, request.Value,
                new SignRequestOptions { ValidityDays = parse.GetValue(days), SubjectAlternativeNames = sans?.Value }, string.Empty, cli.Actor,
                cancellationToken).ConfigureAwait(false);
            IReadOnlyList<string> notCopied = [];
            if (signed.IsSuccess)
            {
                await File.WriteAllTextAsync(parse.GetValue(output)!.FullName, string.Concat(signed.Value.Issued.FullChain.Select(c => c.ToPem())),
                    cancellationToken).ConfigureAwait(false);
                notCopied = RequestDifferences.NotCopied(request.Value, signed.Value.Issued.Certificate);
                signed = WithNotCopied(signed, notCopied);
            }

            return await cli.ReportAsync(signed, s => $"Wrote certificate {s.CertificateId} and its chain to {parse.GetValue(output)!.FullName}",
                s => new { id = s.CertificateId, certificateId = s.CertificateId, authorityId = authorityId.Value, file = parse.GetValue(output)!.FullName, notCopied })
                .ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<Pki.Result<CertificateSigningRequest>> ReadRequestAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            return Pki.Result.Failure<CertificateSigningRequest>($"{file.FullName} does not exist.");
        }

        if (file.Length > MaxFileBytes)
        {
            return Pki.Result.Failure<CertificateSigningRequest>($"{file.FullName} is {file.Length / 1024} KiB; a CSR is a few KiB.");
        }

        var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        if (!PemReader.LooksLikePem(bytes))
        {
            return CertificateSigningRequest.FromDer(bytes);
        }

        var blocks = PemReader.ReadAll(bytes);
        if (!blocks.IsSuccess)
        {
            return Pki.Result.Failure<CertificateSigningRequest>(blocks.Error!);
        }

        var block = blocks.Value.FirstOrDefault(b => b.Label is "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST");
        return block is null
            ? Pki.Result.Failure<CertificateSigningRequest>($"{file.Name} holds no CERTIFICATE REQUEST block.")
            : CertificateSigningRequest.FromDer(block.Data);
    }

    /// <summary>
    /// What the request asked for and the certificate does not carry (URI and e-mail names, its own extensions), as the page's
    /// review lists it, added as warnings: a script must not believe it got the names it asked for. Here and with --server.
    /// </summary>
    internal static Pki.Result<T> WithNotCopied<T>(Pki.Result<T> signed, IReadOnlyList<string> notCopied) =>
        Pki.Result.Success(signed.Value, [.. signed.Warnings, .. notCopied.Select(n => "Not copied from the request: " + n)]);
}
