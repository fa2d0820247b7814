using System.CommandLine;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Web.Cli;

/// <summary>`lint FILE`: what each client will say about a certificate, before it is installed anywhere.</summary>
internal static class LintCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("lint", "Check a certificate (and the chain in the same file) against what browsers and OpenSSL accept; exit 1 on errors.");
        var file = new Argument<FileInfo>("FILE");
        var host = new Option<string?>("--host") { Description = "A host name or IP address the certificate must cover." };
        command.Add(file);
        command.Add(host);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var bytes = await CliFiles.ReadAsync(parse.GetValue(file)!, ImportService.MaxFileBytes, cancellationToken).ConfigureAwait(false);
            var chain = bytes.Bind(ReadCertificates).Bind(ChainBuilder.Build);
            if (!chain.IsSuccess)
            {
                return await cli.FailAsync(chain.Error!).ConfigureAwait(false);
            }

            foreach (var warning in chain.Warnings)
            {
                await cli.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }

            var report = CompatibilityLint.Check(chain.Value.Leaf, chain.Value.Issuers, new LintOptions { Host = parse.GetValue(host), Now = cli.Time.GetUtcNow() });
            if (cli.Json)
            {
                await cli.Output.WriteLineAsync(CliJson.Serialize(new
                {
                    certificate = chain.Value.Leaf.ToString(),
                    hasErrors = report.HasErrors,
                    findings = report.Findings.Select(f => new { severity = f.Severity.ToString().ToLowerInvariant(), ruleId = f.RuleId, message = f.Message, rejectedBy = f.RejectedBy.ToString() }),
                    clients = report.Verdicts.Select(v => new { client = v.Client.ToString(), accepts = v.Accepts, rejectingRuleIds = v.RejectingRuleIds }),
                })).ConfigureAwait(false);
            }
            else
            {
                await cli.Output.WriteAsync(Describe(chain.Value.Leaf, report)).ConfigureAwait(false);
            }

            return report.HasErrors ? CliContext.Refused : CliContext.Ok;
        });
        return command;
    }

    /// <summary>PEM or DER certificates, a PKCS#7 chain, or the certificates of an archive.zip; keys in the file are ignored.</summary>
    private static Result<IReadOnlyList<Certificate>> ReadCertificates(byte[] data) => ImportFormats.Detect(data) switch
    {
        ImportFormat.Pkcs7 => Pkcs7Reader.ReadCertificates(data),
        ImportFormat.Pkcs12 => Result.Failure<IReadOnlyList<Certificate>>(
            "The file is PKCS#12; lint its certificates: `openssl pkcs12 -in FILE -nokeys -out chain.pem`, then `lint chain.pem`."),
        ImportFormat.SynologyZip => SynologyArchiveReader.Read(data).Bind(archive => archive is SynologyCertificateArchive c
            ? Result.Success<IReadOnlyList<Certificate>>([c.Leaf, .. c.Chain])
            : Result.Failure<IReadOnlyList<Certificate>>("The archive holds a certificate signing request, not a certificate.")),
        _ => CertificateReader.ReadAll(data),
    };

    private static string Describe(Certificate leaf, LintReport report)
    {
        var lines = new List<string> { $"Certificate: {Display.Literal(leaf.ToString(), 200)}" };
        lines.AddRange(report.Findings.Count == 0
            ? ["No findings."]
            : report.Findings.Select(f => $"{f.Severity.ToString().ToLowerInvariant(),-7} {f.RuleId}: {f.Message}"
                + (f.RejectedBy == TlsClients.None ? string.Empty : $" [rejected by: {f.RejectedBy}]")));
        lines.Add("Clients:");
        lines.AddRange(report.Verdicts.Select(v => $"  {v.Client,-8} {(v.Accepts ? "accepts" : $"rejects ({string.Join(", ", v.RejectingRuleIds)})")}"));
        return string.Join('\n', lines) + "\n";
    }
}
