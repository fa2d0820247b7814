using System.CommandLine;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// The `synocertpanel` command line: the panel itself (serve), its health check, and the certificate
/// operations for scripts and recovery — the same services the pages call.
/// </summary>
public static class PanelCommandLine
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var cli = new CliContext(output, error, time);
        var root = new RootCommand("SynoCertPanel: TLS certificates for a home lab.");
        root.Add(cli.DataOption);
        root.Add(ServeCommand(cli));
        root.Add(HealthCommand(cli));
        root.Add(CaCommands.Create(cli));
        root.Add(CertCommands.Create(cli));
        root.Add(CsrCommands.Create(cli));
        root.Add(LintCommand.Create(cli));
        root.Add(BackupCommands.Backup(cli));
        root.Add(BackupCommands.Restore(cli));
        root.Add(ResetTlsCommand.Create(cli));
        var parse = root.Parse(args);
        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static Command ServeCommand(CliContext cli)
    {
        var command = new Command("serve", "Run the panel (HTTPS; plain HTTP only redirects).");
        var https = new Option<string?>("--https-port") { Description = "HTTPS port (default 8443, or $SYNOCERT_HTTPS_PORT)." };
        var http = new Option<string?>("--http-port") { Description = "HTTP redirect port, 0 for none (default 8080, or $SYNOCERT_HTTP_PORT)." };
        var bind = new Option<string?>("--bind") { Description = "Address to listen on (default 127.0.0.1, or $SYNOCERT_BIND; 0.0.0.0 for the LAN)." };
        command.Add(https);
        command.Add(http);
        command.Add(bind);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = new List<string> { "--data", cli.DataDirectory(parse) };
            foreach (var (name, option) in new[] { ("--https-port", https), ("--http-port", http), ("--bind", bind) })
            {
                if (parse.GetValue(option) is { } value)
                {
                    given.Add(name);
                    given.Add(value);
                }
            }

            var options = ServeOptions.Parse(given, Environment.GetEnvironmentVariable);
            if (!options.IsSuccess)
            {
                await cli.Error.WriteLineAsync($"error: {options.Error}").ConfigureAwait(false);
                return CliContext.UsageError;
            }

            var built = await PanelHost.BuildAsync(options.Value, cli.Time, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!built.IsSuccess)
            {
                await cli.Error.WriteLineAsync($"error: {built.Error}").ConfigureAwait(false);
                return CliContext.Refused;
            }

            await using var app = built.Value;
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return CliContext.Ok;
        });
        return command;
    }

    private static Command HealthCommand(CliContext cli)
    {
        var command = new Command("health", "Exit 0 when the panel running on this machine answers over HTTPS.");
        var https = new Option<int?>("--https-port") { Description = "HTTPS port (default 8443, or $SYNOCERT_HTTPS_PORT)." };
        command.Add(https);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var port = parse.GetValue(https)
                ?? (int.TryParse(Environment.GetEnvironmentVariable("SYNOCERT_HTTPS_PORT"), out var fromEnvironment) ? fromEnvironment : 8443);
            // Loopback to our own listener: its certificate may be any the admin applied, so only reachability counts.
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{port}/health"), cancellationToken).ConfigureAwait(false);
                await cli.Output.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}").ConfigureAwait(false);
                return response.IsSuccessStatusCode ? CliContext.Ok : CliContext.Refused;
            }
            catch (HttpRequestException e)
            {
                await cli.Error.WriteLineAsync($"error: the panel does not answer on https://127.0.0.1:{port}/health ({e.Message})").ConfigureAwait(false);
                return CliContext.Refused;
            }
            catch (TaskCanceledException)
            {
                await cli.Error.WriteLineAsync($"error: the panel did not answer on https://127.0.0.1:{port}/health within 5 s").ConfigureAwait(false);
                return CliContext.Refused;
            }
        });
        return command;
    }
}
