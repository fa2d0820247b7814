using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Metrics;

/// <summary>
/// A watched endpoint of an enabled box as a scrape reports it: its last state's name (ok, expiring, unreachable, …; null
/// before the first probe) and dates, never the served chain.
/// </summary>
public sealed record EndpointMetricRow(string Box, string Endpoint, string? State, DateTimeOffset? CheckedAt, DateTimeOffset? ServedNotAfter);

/// <summary>A box's deploys that ended one way: how many, and when the latest of them finished (or started, if it has not).</summary>
public sealed record DeployMetricRow(string Box, DeploymentOutcome Outcome, int Count, DateTimeOffset Latest);

/// <summary>
/// What /metrics says about the boxes, read in one go: every box by name with whether it is enabled, the endpoints of the
/// enabled ones, each box's deploys by outcome, and each box's latest deploy (when it finished, or started while it runs).
/// </summary>
public sealed record BoxMetricRows(
    IReadOnlyList<(string Name, bool Enabled)> Boxes,
    IReadOnlyList<EndpointMetricRow> Endpoints,
    IReadOnlyList<DeployMetricRow> Deploys,
    IReadOnlyList<DeployMetricRow> LastDeploys)
{
    /// <summary>
    /// Three plain SQLite reads of the columns a scrape needs (no EF Core context, no served chains, no messages), so a
    /// scrape every few seconds stays cheap at hundreds of endpoints (bench/RESULTS.md, "Metrics scrape"). The deploy counts
    /// come from the stored history, so they survive a restart.
    /// </summary>
    public static async Task<BoxMetricRows> ReadAsync(DataDirectory data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var connection = await SqliteConnections.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var boxes = new List<(string, bool)>();
            await ReadAsync(connection, "SELECT \"Name\", \"Enabled\" FROM \"Boxes\" ORDER BY \"Name\"",
                r => boxes.Add((r.GetString(0), r.GetBoolean(1))), cancellationToken).ConfigureAwait(false);
            var endpoints = new List<EndpointMetricRow>();
            await ReadAsync(connection, "SELECT b.\"Name\", e.\"Host\", e.\"Port\", e.\"State\", e.\"CheckedAt\", e.\"ServedNotAfter\""
                + " FROM \"BoxEndpoints\" e JOIN \"Boxes\" b ON b.\"Id\" = e.\"BoxId\" WHERE b.\"Enabled\" = 1 ORDER BY b.\"Name\", e.\"Id\"",
                r => endpoints.Add(new EndpointMetricRow(r.GetString(0), new WatchedEndpoint(r.GetString(1), r.GetInt32(2)).ToString(),
                    StateName(r.IsDBNull(3) ? null : r.GetString(3)), Ticks(r, 4), Ticks(r, 5))), cancellationToken).ConfigureAwait(false);
            var deploys = new List<DeployMetricRow>();
            await ReadAsync(connection, "SELECT b.\"Name\", d.\"Outcome\", COUNT(*), MAX(COALESCE(d.\"FinishedAt\", d.\"StartedAt\"))"
                + " FROM \"Deployments\" d JOIN \"Boxes\" b ON b.\"Id\" = d.\"BoxId\" GROUP BY b.\"Name\", d.\"Outcome\" ORDER BY b.\"Name\"",
                r => AddDeploy(deploys, r, count: r.GetInt32(2)), cancellationToken).ConfigureAwait(false);
            var last = new List<DeployMetricRow>();
            await ReadAsync(connection, "SELECT b.\"Name\", d.\"Outcome\", 1, COALESCE(d.\"FinishedAt\", d.\"StartedAt\") FROM \"Deployments\" d"
                + " JOIN \"Boxes\" b ON b.\"Id\" = d.\"BoxId\" WHERE d.\"Id\" = (SELECT MAX(l.\"Id\") FROM \"Deployments\" l WHERE l.\"BoxId\" = d.\"BoxId\")"
                + " ORDER BY b.\"Name\"",
                r => AddDeploy(last, r, count: 1), cancellationToken).ConfigureAwait(false);
            return new BoxMetricRows(boxes, endpoints, deploys, last);
        }
    }

    /// <summary>The state without its threshold ("expiring-14" → "expiring"): the label keeps a fixed set of values.</summary>
    private static string? StateName(string? stored) => BoxWatch.ParseCondition(stored) is { } condition ? BoxWatch.Name(condition.State) : null;

    private static DateTimeOffset? Ticks(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : new DateTimeOffset(reader.GetInt64(column), TimeSpan.Zero);

    private static void AddDeploy(List<DeployMetricRow> rows, SqliteDataReader reader, int count)
    {
        // A row written by a later version with an outcome this one does not know is left out rather than miscounted.
        if (Enum.TryParse<DeploymentOutcome>(reader.GetString(1), ignoreCase: false, out var outcome))
        {
            rows.Add(new DeployMetricRow(reader.GetString(0), outcome, count, new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero)));
        }
    }

    private static async Task ReadAsync(SqliteConnection connection, string sql, Action<SqliteDataReader> row,
        CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row(reader);
                }
            }
        }
    }
}
