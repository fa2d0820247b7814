using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>One request as the receiver got it: exactly what went over the wire, for checking headers, query and body.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A local HTTP server standing in for ntfy, Gotify or a webhook receiver: it records every request and answers with the
/// status and body the test sets (or after a delay, for timeouts).
/// </summary>
internal sealed class AlertReceiver : IAsyncDisposable
{
    private readonly HttpListener _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private AlertReceiver()
    {
        Port = FreePort();
        _http.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _http.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public int Status { get; set; } = 200;

    public string Answer { get; set; } = string.Empty;

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public static AlertReceiver Start() => new();

    /// <summary>A port nothing listens on (bound and released), for "the receiver is down".</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _http.Close();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _http.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Url.Query, headers, body.ToArray()));
            if (Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(Delay, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            context.Response.StatusCode = Status;
            var answer = Encoding.UTF8.GetBytes(Answer);
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }
}
