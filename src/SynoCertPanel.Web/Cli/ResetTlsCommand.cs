using System.CommandLine;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// `reset-tls`: the way back in when the admin applied a certificate their browser will not accept. Makes a fresh
/// self-signed default; a running panel on the same data directory serves it within a second or two.
/// </summary>
internal static class ResetTlsCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("reset-tls", "Serve a fresh self-signed certificate on the panel's HTTPS listener (recovery).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var created = await ListenerStartup.CreateSelfSignedDefaultAsync(new ServedCertificateStore(storage, cli.Time), cli.Actor, cancellationToken)
                .ConfigureAwait(false);
            return await cli.ReportAsync(created, c =>
                $"Certificate {c.CertificateId} (self-signed, for {string.Join(", ", c.Leaf.SubjectAlternativeNames.Select(n => n.DisplayValue))}) is now the default; "
                + "a running panel serves it within 2 seconds. Browsers will warn until its root is trusted or another certificate is applied.",
                c => new { id = c.CertificateId, certificateId = c.CertificateId }).ConfigureAwait(false);
        });
        return command;
    }
}
