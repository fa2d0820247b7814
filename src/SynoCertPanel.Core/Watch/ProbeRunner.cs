using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SynoCertPanel.Core.Watch;

/// <summary>
/// Probes many endpoints with at most <see cref="MaxConcurrent"/> handshakes in flight, and hands back each
/// result as soon as it is in (a slow box does not hold up the others). Each probe keeps its own timeouts;
/// cancelling stops the probes in flight and starts no more.
/// </summary>
public sealed class ProbeRunner(IEndpointProbe probe, int maxConcurrent = ProbeRunner.DefaultMaxConcurrent)
{
    /// <summary>Enough to probe a lab's few hundred endpoints in seconds while holding few sockets and little memory.</summary>
    public const int DefaultMaxConcurrent = 32;

    public int MaxConcurrent { get; } = maxConcurrent > 0
        ? maxConcurrent
        : throw new ArgumentOutOfRangeException(nameof(maxConcurrent), "At least one probe must be allowed at a time.");

    public async IAsyncEnumerable<ProbeResult> RunAsync(IEnumerable<ProbeTarget> targets,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var queue = targets.ToList();
        if (queue.Count == 0)
        {
            yield break;
        }

        var results = Channel.CreateUnbounded<ProbeResult>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;

        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < queue.Count)
            {
                var result = await probe.ProbeAsync(queue[index], stop.Token).ConfigureAwait(false);
                results.Writer.TryWrite(result);
            }
        }

        var workers = Enumerable.Range(0, Math.Min(MaxConcurrent, queue.Count)).Select(_ => Task.Run(WorkAsync, stop.Token)).ToArray();
        var all = CompleteAsync(workers, results.Writer, stop);
        try
        {
            await foreach (var result in results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }

    /// <summary>Every result, in completion order.</summary>
    public async Task<IReadOnlyList<ProbeResult>> RunAllAsync(IEnumerable<ProbeTarget> targets, CancellationToken cancellationToken = default)
    {
        var results = new List<ProbeResult>();
        await foreach (var result in RunAsync(targets, cancellationToken).ConfigureAwait(false))
        {
            results.Add(result);
        }

        return results;
    }

    /// <summary>Closes the channel when every worker is done; a worker's failure ends the run for the reader.</summary>
    private static async Task CompleteAsync(Task[] workers, ChannelWriter<ProbeResult> writer, CancellationTokenSource stop)
    {
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
            writer.TryComplete();
        }
        catch (OperationCanceledException e)
        {
            writer.TryComplete(e);
        }
        catch (Exception e)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            writer.TryComplete(e);
        }
    }
}
