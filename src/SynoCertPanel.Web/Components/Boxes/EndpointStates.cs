using MudBlazor;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Web.Components.Boxes;

/// <summary>How the page shows an endpoint's last state (stored as text: ok, expiring-14, unreachable, …) and sorts worst first.</summary>
public static class EndpointStates
{
    /// <summary>Never probed sorts below every known state: it says nothing is wrong yet, nor right.</summary>
    public const int NotCheckedSeverity = -1;

    public static EndpointCondition? Parse(string? stored) => BoxWatch.ParseCondition(stored);

    public static string Label(string? stored) => Parse(stored) is { } condition ? Label(condition) : "Not checked";

    public static string Label(EndpointCondition condition) => condition.State switch
    {
        EndpointState.Ok => "OK",
        EndpointState.Expiring => condition.ThresholdDays is { } days ? $"Expiring ({days} days)" : "Expiring",
        EndpointState.NotLatest => "Not the latest",
        EndpointState.Weak => "Weak",
        EndpointState.NameNotCovered => "Name not covered",
        EndpointState.Untrusted => "Untrusted",
        EndpointState.Expired => "Expired",
        _ => "Unreachable",
    };

    public static Color Color(string? stored) => Parse(stored) is { } condition ? Color(condition.State) : MudBlazor.Color.Default;

    public static Color Color(EndpointState state) => state switch
    {
        EndpointState.Ok => MudBlazor.Color.Success,
        EndpointState.Expiring or EndpointState.NotLatest or EndpointState.Weak => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };

    public static int Severity(string? stored) => Parse(stored) is { } condition
        ? new EndpointFinding(condition.State, string.Empty, condition.ThresholdDays).Severity
        : NotCheckedSeverity;

    /// <summary>The box's worst endpoint, for sorting the table worst first.</summary>
    public static int Worst(BoxSummary box) =>
        box is null || box.Endpoints.Count == 0 ? NotCheckedSeverity : box.Endpoints.Max(e => Severity(e.State));

    /// <summary>Boxes worst first, then by name; disabled boxes last (they are not being watched).</summary>
    public static IReadOnlyList<BoxSummary> WorstFirst(IEnumerable<BoxSummary> boxes) =>
        [.. boxes.OrderByDescending(b => b.Enabled).ThenByDescending(Worst).ThenBy(b => b.Name, StringComparer.OrdinalIgnoreCase)];

    /// <summary>Every watched endpoint of the enabled boxes, worst first.</summary>
    public static IReadOnlyList<(BoxSummary Box, BoxEndpointSummary Endpoint)> Endpoints(IEnumerable<BoxSummary> boxes) =>
        [.. boxes.Where(b => b.Enabled).SelectMany(b => b.Endpoints.Select(e => (b, e)))
            .OrderByDescending(p => Severity(p.e.State)).ThenBy(p => p.b.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.e.Display, StringComparer.Ordinal)];
}
