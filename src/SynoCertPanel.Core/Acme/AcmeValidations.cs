using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// Runs challenge validations in the background once a client says it is ready: a few at once, each attempt bounded by
/// its validator's timeout, retried a few times a little apart (a box's web server may still be starting), and the
/// outcome written to the challenge, its authorization and its order.
/// </summary>
public sealed partial class AcmeValidations : IDisposable
{
    public const int MaxConcurrent = 8;

    private readonly PanelStorage _storage;
    private readonly Dictionary<string, IChallengeValidator> _validators;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _running = new(MaxConcurrent, MaxConcurrent);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, Task> _inFlight = new();

    public AcmeValidations(PanelStorage storage, IEnumerable<IChallengeValidator> validators, TimeProvider time, ILogger<AcmeValidations>? logger = null)
    {
        _storage = storage;
        _validators = validators.ToDictionary(v => v.Type, StringComparer.Ordinal);
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Attempts per validation before the challenge is invalid.</summary>
    public int Attempts { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Marks a pending challenge as processing and starts validating it; returns the challenge as it is now (null when
    /// it was not pending any more, e.g. a second POST racing the first).
    /// </summary>
    public async Task<AcmeChallengeRecord?> StartAsync(int challengeId, string accountThumbprint, CancellationToken cancellationToken)
    {
        AcmeChallengeRecord challenge;
        ChallengeAttempt attempt;
        await _storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = _storage.CreateContext();
            challenge = await db.AcmeChallenges.SingleAsync(c => c.Id == challengeId, cancellationToken).ConfigureAwait(false);
            if (challenge.Status != AcmeStatus.Pending)
            {
                return null;
            }

            var authorization = await db.AcmeAuthorizations.AsNoTracking().SingleAsync(a => a.Id == challenge.AuthorizationId, cancellationToken).ConfigureAwait(false);
            var directory = await db.AcmeOrders.AsNoTracking().Where(o => o.Id == authorization.OrderId)
                .Join(db.AcmeDirectories, o => o.DirectoryId, d => d.Id, (o, d) => d).SingleAsync(cancellationToken).ConfigureAwait(false);
            var port = challenge.Type == AcmeChallengeTypes.TlsAlpn01 ? directory.TlsAlpnPort : directory.HttpPort;
            attempt = new ChallengeAttempt(authorization.Type, authorization.Value, challenge.Token, challenge.Token + "." + accountThumbprint, port);
            challenge.Status = AcmeStatus.Processing;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _storage.WriteGate.Release();
        }

        var task = Task.Run(() => RunAsync(challenge.Id, challenge.Type, attempt), CancellationToken.None);
        _inFlight[challenge.Id] = task;
        _ = task.ContinueWith(_ => _inFlight.TryRemove(challenge.Id, out Task? _), TaskScheduler.Default);
        return challenge;
    }

    /// <summary>
    /// How long the answer to a client's "ready" waits for its validation to end, so that a box on the same network
    /// learns the outcome in that answer instead of polling for it (clients such as lego wait a second or more between
    /// polls). A validation that takes longer is answered "processing" and carries on in the background.
    /// </summary>
    public TimeSpan AnswerWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Waits until the validation of this challenge has ended or <see cref="AnswerWait"/> has passed.</summary>
    public async Task WaitBrieflyAsync(int challengeId, CancellationToken cancellationToken)
    {
        if (_inFlight.TryGetValue(challengeId, out var task))
        {
            // Ends at the first of the validation, the wait or the request's end, with no timer left behind; the
            // validation's own outcome is read from its stored row, so nothing here throws but a cancelled request.
            await task.WaitAsync(AnswerWait, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Waits for every validation under way (tests, and shutting down).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_inFlight.Values);

    /// <summary>
    /// At start-up: validations cut off by a stop cannot be resumed (the client's proof may be gone), so they become
    /// invalid with a sentence, and their orders with them; the client places a new order.
    /// </summary>
    public static async Task<int> RecoverAsync(PanelStorage storage, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(time);
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var cut = await db.AcmeChallenges.Where(c => c.Status == AcmeStatus.Processing).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var challenge in cut)
            {
                await FinishAsync(db, challenge,
                    AcmeProblem.Connection("The panel restarted while validating this challenge. Place a new order."), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            return cut.Count;
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private async Task RunAsync(int challengeId, string type, ChallengeAttempt attempt)
    {
        var token = _stopping.Token;
        try
        {
            await _running.WaitAsync(token).ConfigureAwait(false);
            AcmeProblem? problem;
            try
            {
                problem = _validators.TryGetValue(type, out var validator)
                    ? await TryAsync(validator, attempt, token).ConfigureAwait(false)
                    : AcmeProblem.ServerInternal($"No validator for {type} here.");
            }
            finally
            {
                _running.Release();
            }

            await _storage.WriteGate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await using var db = _storage.CreateContext();
                var challenge = await db.AcmeChallenges.SingleAsync(c => c.Id == challengeId, token).ConfigureAwait(false);
                await FinishAsync(db, challenge, problem, _time.GetUtcNow(), token).ConfigureAwait(false);
            }
            finally
            {
                _storage.WriteGate.Release();
            }

            Log.Validated(_logger, type, attempt.Identifier, problem?.Detail ?? "valid");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: RecoverAsync settles the challenge at the next start.
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            Log.Failed(_logger, e, type, attempt.Identifier);
        }
    }

    private async Task<AcmeProblem?> TryAsync(IChallengeValidator validator, ChallengeAttempt attempt, CancellationToken cancellationToken)
    {
        AcmeProblem? problem = null;
        for (var i = 0; i < Attempts; i++)
        {
            if (i > 0)
            {
                await Task.Delay(RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }

            problem = await validator.ValidateAsync(attempt, cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                return null;
            }
        }

        return problem;
    }

    private static async Task FinishAsync(PanelDbContext db, AcmeChallengeRecord challenge, AcmeProblem? problem, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var authorization = await db.AcmeAuthorizations.SingleAsync(a => a.Id == challenge.AuthorizationId, cancellationToken).ConfigureAwait(false);
        challenge.Status = problem is null ? AcmeStatus.Valid : AcmeStatus.Invalid;
        challenge.ValidatedAt = problem is null ? now : null;
        challenge.Error = problem is null ? null : AcmeProblems.Serialize(problem);
        if (authorization.Status == AcmeStatus.Pending)
        {
            // RFC 8555 §7.1.6: one challenge failing makes the authorization invalid; one succeeding makes it valid.
            authorization.Status = challenge.Status;
        }

        // One save: a client that sees the authorization valid must find its order ready in the same instant.
        await AcmeOrders.RecomputeAsync(db, authorization.OrderId, now, cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _running.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "ACME {Type} validation of {Identifier}: {Outcome}")]
        public static partial void Validated(ILogger logger, string type, string identifier, string outcome);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "ACME {Type} validation of {Identifier} could not be recorded")]
        public static partial void Failed(ILogger logger, Exception exception, string type, string identifier);
    }
}
