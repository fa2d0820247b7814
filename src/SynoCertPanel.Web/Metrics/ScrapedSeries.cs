using Prometheus;

namespace SynoCertPanel.Web.Metrics;

/// <summary>
/// The series of one labelled metric that the scrape being written sets. Those the previous scrape set and this one did not
/// (a deleted or disabled box, an endpoint whose state changed) are removed at <see cref="EndScrape"/>, so Prometheus sees
/// them end instead of keeping their last value forever.
/// </summary>
internal sealed class ScrapedSeries<TChild>(Collector<TChild> metric)
    where TChild : ChildBase
{
    private Dictionary<string, string[]> _previous = new(StringComparer.Ordinal);
    private Dictionary<string, string[]> _current = new(StringComparer.Ordinal);

    /// <summary>The series with these label values, kept by this scrape.</summary>
    public TChild Labelled(params string[] labels)
    {
        // Label values never hold a NUL (box names and endpoints are checked when stored), so it separates them.
        _current[string.Join('\0', labels)] = labels;
        return metric.WithLabels(labels);
    }

    public void EndScrape()
    {
        foreach (var (key, labels) in _previous)
        {
            if (!_current.ContainsKey(key))
            {
                metric.RemoveLabelled(labels);
            }
        }

        (_previous, _current) = (_current, _previous);
        _current.Clear();
    }
}
