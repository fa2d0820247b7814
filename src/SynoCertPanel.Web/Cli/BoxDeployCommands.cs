using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Cli;

/// <summary>`box test|deploy|history`: what the Boxes page's "Test connection", "Deploy" and history do.</summary>
internal static class BoxDeployCommands
{
    public static Command Test(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("test", "Connect and log in to the box as a deploy would, changing nothing; says exactly which step failed.");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        command.Add(box);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var tested = await new BoxService(storage, deliveries, cli.Time).TestAsync(parse.GetValue(box)!, cli.Actor, cancellationToken).ConfigureAwait(false);
            if (!tested.IsSuccess)
            {
                return await cli.FailAsync(tested.Error!).ConfigureAwait(false);
            }

            var outcome = tested.Value;
            if (!outcome.Succeeded)
            {
                foreach (var step in outcome.Steps)
                {
                    await cli.Error.WriteLineAsync(step).ConfigureAwait(false);
                }

                return await cli.FailAsync($"{outcome.Failure}: {outcome.Message}").ConfigureAwait(false);
            }

            return await cli.ReportAsync(tested, o => string.Join('\n', o.Steps.Append(o.Message)), o => new { succeeded = true, message = o.Message, steps = o.Steps })
                .ConfigureAwait(false);
        });
        return command;
    }

    public static Command Deploy(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("deploy", "Issue (from the box's CA) or take a certificate, deliver it, and verify by TLS handshake that every watched endpoint serves it.");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        var certificate = new Option<int?>("--certificate") { Description = "The certificate to deliver (default: a new one from the box's CA, or the box's current one)." };
        command.Add(box);
        command.Add(certificate);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            return await RunDeployAsync(cli, storage, deliveries, parse.GetValue(box)!, parse.GetValue(certificate), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>`box deploy` itself, also what `service set box:NAME` runs: the steps on stderr, the outcome on stdout.</summary>
    internal static async Task<int> RunDeployAsync(CliContext cli, PanelStorage storage, BoxDeliveries deliveries, string box, int? certificateId,
        CancellationToken cancellationToken)
    {
        var progress = cli.Json ? null : new Progress(cli.Error);
        var deployed = await new DeployService(storage, deliveries, new Core.Watch.EndpointProbe(cli.Time), cli.Time, Alerts(storage, cli))
            .DeployAsync(box, certificateId, cli.Actor, progress, cancellationToken).ConfigureAwait(false);
        if (deployed.IsSuccess && deployed.Value.Outcome != DeploymentOutcome.Succeeded)
        {
            if (cli.Json)
            {
                await cli.Output.WriteLineAsync(CliJson.Serialize(Json(deployed.Value))).ConfigureAwait(false);
            }

            await cli.Error.WriteLineAsync($"error: {deployed.Value.Message}").ConfigureAwait(false);
            return CliContext.Refused;
        }

        return await cli.ReportAsync(deployed, d => d.Message, Json).ConfigureAwait(false);
    }

    public static Command History(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("history", "The box's deploys, newest first: when, which certificate replaced which, how each ended.");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        command.Add(box);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var history = await new DeployService(storage, deliveries, new Core.Watch.EndpointProbe(cli.Time), cli.Time)
                .HistoryAsync(parse.GetValue(box)!, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!history.IsSuccess)
            {
                return await cli.FailAsync(history.Error!).ConfigureAwait(false);
            }

            return await cli.ListAsync(history.Value, d => string.Create(CultureInfo.InvariantCulture,
                $"{d.Id}\t{d.StartedAt:yyyy-MM-dd HH:mm:ss}\t{d.Outcome.ToString().ToLowerInvariant()}\t{d.CertificateId}\t{d.Message}"), Json).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Check(CliContext cli)
    {
        var command = new Command("check", "Probe the box's watched endpoints now and judge what each serves (expiry, latest, names, trust, weakness).");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        command.Add(box);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var checks = await new BoxWatch(storage, new Core.Watch.EndpointProbe(cli.Time), cli.Time, Alerts(storage, cli)).CheckAsync(parse.GetValue(box)!, cancellationToken).ConfigureAwait(false);
            if (!checks.IsSuccess)
            {
                return await cli.FailAsync(checks.Error!).ConfigureAwait(false);
            }

            return await cli.ListAsync(checks.Value,
                c => $"{c.Verdict.Target}\t{BoxWatch.FormatCondition(Core.Watch.EndpointCondition.Of(c.Verdict))}\t{string.Join(" ", c.Verdict.Findings.Select(f => f.Message))}",
                c => new
                {
                    endpoint = c.Verdict.Target.ToString(),
                    state = BoxWatch.Name(c.Verdict.State),
                    thresholdDays = c.Verdict.ThresholdDays,
                    findings = c.Verdict.Findings.Select(f => new { state = BoxWatch.Name(f.State), message = f.Message }),
                    changed = c.Change?.Message,
                }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>A check or deploy from the command line alerts as the schedule's would (a cron job is the schedule then).</summary>
    private static Core.Alerts.AlertService Alerts(PanelStorage storage, CliContext cli) =>
        new(storage, Core.Alerts.AlertChannels.Standard(cli.Time), cli.Time);

    internal static object Json(DeploymentSummary deployment) => new
    {
        id = deployment.Id,
        box = deployment.BoxName,
        certificateId = deployment.CertificateId,
        previousCertificateId = deployment.PreviousCertificateId,
        startedAt = deployment.StartedAt,
        finishedAt = deployment.FinishedAt,
        outcome = deployment.Outcome.ToString().ToLowerInvariant(),
        failure = deployment.Failure,
        message = deployment.Message,
        steps = deployment.Steps,
    };

    /// <summary>Steps on stderr as they happen, so stdout stays the one-line result a script reads.</summary>
    private sealed class Progress(TextWriter error) : IProgress<string>
    {
        public void Report(string value) => error.WriteLine(value);
    }
}
