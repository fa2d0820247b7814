using System.Collections.Concurrent;

namespace SynoCertPanel.Core.Watch;

/// <summary>
/// Remembers each endpoint's last condition in memory and reports changes. The panel keeps the condition in
/// its store between runs and calls <see cref="EndpointStateChange.Detect"/> itself; this is for one process's life.
/// </summary>
public sealed class EndpointStateTracker
{
    private readonly ConcurrentDictionary<string, EndpointCondition> _last = new(StringComparer.OrdinalIgnoreCase);

    public EndpointStateChange? Observe(EndpointVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var key = verdict.Target.ToString();
        EndpointCondition? previous = _last.TryGetValue(key, out var known) ? known : null;
        _last[key] = EndpointCondition.Of(verdict);
        return EndpointStateChange.Detect(previous, verdict);
    }
}
