using System.CommandLine;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// The `synocertpanel` command line: the panel itself (serve), its health check, and the certificate
/// operations for scripts and recovery — the same services the pages call.
/// </summary>
public static class PanelCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cli = new CliContext(output, error, time);
        var root = new RootCommand("SynoCertPanel: TLS certificates for a home lab.");
        root.Add(cli.DataOption);
        root.Add(cli.JsonOption);
        foreach (var option in cli.Remote.Options)
        {
            root.Add(option);
        }

        root.Add(ServeCommand(cli));
        root.Add(HealthCommand(cli));
        root.Add(CaCommands.Create(cli));
        root.Add(CertCommands.Create(cli));
        root.Add(CsrCommands.Create(cli));
        root.Add(LintCommand.Create(cli));
        root.Add(BackupCommands.Backup(cli));
        root.Add(BackupCommands.Restore(cli));
        root.Add(ResetTlsCommand.Create(cli));
        root.Add(AdminCommands.Create(cli));
        root.Add(TokenCommands.Create(cli));
        root.Add(MetricsCommands.Create(cli));
        root.Add(BoxCommands.Create(cli));
        root.Add(ServiceCommands.Create(cli));
        root.Add(AlertCommands.Create(cli));
        root.Add(AcmeCommands.Create(cli));
        cli.Remote.DescribeCommands();
        var parse = root.Parse(args);
        cli.Json = parse.GetValue(cli.JsonOption);
        if (cli.Json && parse.Errors.Count > 0)
        {
            return await cli.FailAsync(string.Join(" ", parse.Errors.Select(e => e.Message))).ConfigureAwait(false);
        }

        try
        {
            if (await cli.Remote.TryRunAsync(cli, parse, cancellationToken).ConfigureAwait(false) is { } remoteExit)
            {
                return remoteExit;
            }

            // Our own handler instead of the default one, which prints the whole exception.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var log = CliFailureLog.Write(cli.DataDirectory(parse), e, args, time.GetUtcNow());
            var line = e.Message.ReplaceLineEndings(" ");
            return await cli.FailAsync(log is null ? line : $"{line} (details in {log})", CliContext.Unexpected).ConfigureAwait(false);
        }
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
                return await cli.FailAsync(options.Error!, CliContext.UsageError).ConfigureAwait(false);
            }

            var built = await PanelHost.BuildAsync(options.Value, cli.Time, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!built.IsSuccess)
            {
                return await cli.FailAsync(built.Error!).ConfigureAwait(false);
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
                await cli.Output.WriteLineAsync(cli.Json
                    ? CliJson.Serialize(new { status = (int)response.StatusCode, healthy = response.IsSuccessStatusCode })
                    : $"{(int)response.StatusCode} {response.ReasonPhrase}").ConfigureAwait(false);
                return response.IsSuccessStatusCode ? CliContext.Ok : CliContext.Refused;
            }
            catch (HttpRequestException e)
            {
                return await cli.FailAsync($"the panel does not answer on https://127.0.0.1:{port}/health ({e.Message})").ConfigureAwait(false);
            }
            catch (TaskCanceledException)
            {
                return await cli.FailAsync($"the panel did not answer on https://127.0.0.1:{port}/health within 5 s").ConfigureAwait(false);
            }
        });
        return command;
    }
}
