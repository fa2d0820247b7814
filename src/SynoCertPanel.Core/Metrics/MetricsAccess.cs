using System.Net;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Metrics;

/// <summary>
/// Who may read /metrics. Off by default: the inventory's names and dates are nobody's business until the admin says
/// so. When on, a token with the metrics:read scope may read it from anywhere, and any client inside
/// <see cref="AllowedRanges"/> may read it without a token (for a Prometheus that cannot send one).
/// </summary>
public sealed record MetricsAccess(bool Enabled, IReadOnlyList<IPNetwork> AllowedRanges)
{
    public static MetricsAccess Off { get; } = new(false, []);

    public override string ToString() =>
        !Enabled ? "off"
        : AllowedRanges.Count == 0 ? "on, with a metrics:read token only"
        : $"on, with a metrics:read token or from {Metrics.AllowedRanges.Format(AllowedRanges)}";
}

/// <summary>
/// <see cref="MetricsAccess"/> in the data directory's settings, as text an admin can read ("on;ranges=10.0.0.0/8"). Read
/// at each scrape with a plain SQLite read, so a change made by the command line applies to the running panel at once.
/// </summary>
public sealed class MetricsAccessStore(PanelStorage storage, TimeProvider time)
{
    public const string Setting = "metrics-access";
    public const string AuditAction = "metrics.access";

    /// <summary>The stored access (off when nothing was stored), or why the stored text cannot be used.</summary>
    public async Task<Result<MetricsAccess>> LoadAsync(CancellationToken cancellationToken = default)
    {
        var setting = await SqliteConnections.ReadSettingAsync(storage.Data, Setting, cancellationToken).ConfigureAwait(false);
        if (setting is null)
        {
            return Result.Success(MetricsAccess.Off);
        }

        var fields = setting.Split(';');
        var enabled = fields[0] switch { "on" => true, "off" => false, _ => (bool?)null };
        var ranges = fields.Length == 2 && fields[1].StartsWith("ranges=", StringComparison.Ordinal)
            ? AllowedRanges.Parse(fields[1]["ranges=".Length..])
            : fields.Length == 1 ? AllowedRanges.Parse(null) : null;
        return enabled is { } on && ranges is { IsSuccess: true }
            ? Result.Success(new MetricsAccess(on, ranges.Value))
            : Result.Failure<MetricsAccess>($"the stored metrics setting \"{Display.Literal(setting, 200)}\" is unusable{(ranges?.Error is { } error ? ": " + error : string.Empty)}");
    }

    /// <summary>Turns metrics on with <paramref name="allowedRanges"/> (text as the admin typed it); see <see cref="SaveAsync"/>.</summary>
    public Task<Result<MetricsAccess>> EnableAsync(string? allowedRanges, string actor, CancellationToken cancellationToken = default) =>
        SaveAsync(true, allowedRanges, actor, cancellationToken);

    /// <summary>
    /// Stores on or off with <paramref name="allowedRanges"/> (text as the admin typed it). Bad ranges are refused with the
    /// reason, even when turning it off, so they are right on the day it is turned on; audited either way.
    /// </summary>
    public async Task<Result<MetricsAccess>> SaveAsync(bool enabled, string? allowedRanges, string actor, CancellationToken cancellationToken = default)
    {
        var ranges = AllowedRanges.Parse(allowedRanges);
        if (!ranges.IsSuccess)
        {
            await WriteAsync(null, actor, ranges.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<MetricsAccess>(ranges.Error!);
        }

        var access = new MetricsAccess(enabled, ranges.Value);
        await WriteAsync(access, actor, access.ToString(), cancellationToken).ConfigureAwait(false);
        return Result.Success(access);
    }

    /// <summary>Turns metrics off; the ranges are kept for the next time they are turned on.</summary>
    public async Task<Result<MetricsAccess>> DisableAsync(string actor, CancellationToken cancellationToken = default)
    {
        var current = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var access = new MetricsAccess(false, current.IsSuccess ? current.Value.AllowedRanges : []);
        await WriteAsync(access, actor, access.ToString(), cancellationToken).ConfigureAwait(false);
        return Result.Success(access);
    }

    private async Task WriteAsync(MetricsAccess? access, string actor, string detail, CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            if (access is not null)
            {
                var value = (access.Enabled ? "on" : "off") + (access.AllowedRanges.Count == 0 ? string.Empty : ";ranges=" + string.Join(',', access.AllowedRanges));
                var setting = await db.Settings.FindAsync([Setting], cancellationToken).ConfigureAwait(false);
                if (setting is null)
                {
                    db.Settings.Add(new SettingRecord { Name = Setting, Value = value });
                }
                else
                {
                    setting.Value = value;
                }
            }

            AuditLog.Add(db, time.GetUtcNow(), actor, AuditAction, "metrics", access is null ? AuditOutcome.Refused : AuditOutcome.Succeeded, detail);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
