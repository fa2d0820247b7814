using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// The boxes' schedule: at start, deploys a stopped panel left running are marked unfinished and their boxes probed again;
/// then every <see cref="CheckInterval"/> (6 hours by default, <c>Boxes:CheckIntervalHours</c>, at least 3 minutes) every enabled box is probed,
/// and boxes whose certificate is due are renewed (issued, delivered, verified), with backoff after a failure.
/// </summary>
public sealed partial class BoxAutomation(IServiceScopeFactory scopes, PanelStorage storage, TimeProvider time, IConfiguration configuration, ILogger<BoxAutomation> logger)
    : BackgroundService
{
    /// <summary>How often renewals are looked for: a due certificate waits at most this long.</summary>
    public static readonly TimeSpan RenewalPoll = TimeSpan.FromMinutes(15);

    private readonly Dictionary<int, (int Failures, DateTimeOffset NextTry)> _failures = [];

    /// <summary>
    /// Run after a round that probed something: the round's garbage (handshakes, parsed chains, verdicts) is handed back
    /// to the system instead of staying in the idle panel's heap for the next six hours. Replaceable so a test can see it run.
    /// </summary>
    public Action AfterRound { get; init; } = StartupMemoryTrim.GiveBack;

    public TimeSpan CheckInterval => TimeSpan.FromHours(Math.Clamp(configuration.GetValue("Boxes:CheckIntervalHours", 6.0), 0.05, 24 * 7));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await HasBoxesAsync(stoppingToken).ConfigureAwait(false))
            {
                await RecoverAsync(stoppingToken).ConfigureAwait(false);
            }

            // A check interval shorter than the renewal poll is kept too: the timer wakes at the shorter of the two.
            var poll = CheckInterval < RenewalPoll ? CheckInterval : RenewalPoll;
            DateTimeOffset? lastCheck = null;
            using var timer = new PeriodicTimer(poll, time);
            do
            {
                if (!await HasBoxesAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                // Measured from the previous round's start, with half a poll of slack: a tick that comes a hair before the
                // interval is up must not push the round back by a whole poll.
                var now = time.GetUtcNow();
                if (lastCheck is not { } last || now - last >= CheckInterval - (poll / 2))
                {
                    lastCheck = now;
                    await CheckAllAsync(stoppingToken).ConfigureAwait(false);
                }

                await RenewDueAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// With no box there is nothing to recover, probe or renew: SQLite is asked each time and no EF Core context is built,
    /// so a panel that manages only itself keeps its idle memory (bench/RESULTS.md, footprint). When the question itself
    /// fails, the round runs and reports its own failure.
    /// </summary>
    private async Task<bool> HasBoxesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await storage.HasAnyRowAsync("Boxes", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RoundFailed(logger, e);
            return true;
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deploys = scope.ServiceProvider.GetRequiredService<DeployService>();
        var boxes = await deploys.MarkUnfinishedAsync(cancellationToken).ConfigureAwait(false);
        foreach (var box in boxes)
        {
            UnfinishedDeploy(logger, box);
            foreach (var settled in await deploys.SettleUnfinishedAsync(box, cancellationToken).ConfigureAwait(false))
            {
                UnfinishedSettled(logger, box, settled.Message);
            }

            await scope.ServiceProvider.GetRequiredService<BoxWatch>().CheckAsync(box, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var checks = await scope.ServiceProvider.GetRequiredService<BoxWatch>().CheckAllAsync(cancellationToken).ConfigureAwait(false);
            foreach (var change in checks.Where(c => c.Change is not null))
            {
                StateChanged(logger, change.BoxName, change.Change!.Message);
            }

            if (checks.Count > 0)
            {
                AfterRound();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RoundFailed(logger, e);
        }
    }

    private async Task RenewDueAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            foreach (var due in await BoxRenewal.FindDueAsync(storage, now, cancellationToken).ConfigureAwait(false))
            {
                if (_failures.TryGetValue(due.BoxId, out var failed) && failed.NextTry > now)
                {
                    continue;
                }

                await using var scope = scopes.CreateAsyncScope();
                var deployed = await scope.ServiceProvider.GetRequiredService<DeployService>()
                    .DeployAsync(due.BoxId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, "panel:renewal", cancellationToken: cancellationToken).ConfigureAwait(false);
                if (deployed.IsSuccess && deployed.Value.Outcome == Core.Storage.DeploymentOutcome.Succeeded)
                {
                    _failures.Remove(due.BoxId);
                    Renewed(logger, due.BoxName, deployed.Value.CertificateId);
                    continue;
                }

                var failures = (_failures.TryGetValue(due.BoxId, out var before) ? before.Failures : 0) + 1;
                var wait = BoxRenewal.Backoff(failures);
                _failures[due.BoxId] = (failures, now + wait);
                RenewalFailed(logger, due.BoxName, deployed.IsSuccess ? deployed.Value.Message : deployed.Error!, wait);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RoundFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "A deploy to {Box} was interrupted when the panel stopped; probing the box again.")]
    private static partial void UnfinishedDeploy(ILogger logger, string box);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Box {Box}: {Outcome}")]
    private static partial void UnfinishedSettled(ILogger logger, string box, string outcome);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Box {Box}: {Change}")]
    private static partial void StateChanged(ILogger logger, string box, string change);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Renewed the certificate of {Box}: certificate {CertificateId} delivered and verified.")]
    private static partial void Renewed(ILogger logger, string box, int? certificateId);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Renewing the certificate of {Box} failed: {Reason} Next try in {Wait}.")]
    private static partial void RenewalFailed(ILogger logger, string box, string reason, TimeSpan wait);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Error, Message = "A round of box checks or renewals failed.")]
    private static partial void RoundFailed(ILogger logger, Exception exception);
}
