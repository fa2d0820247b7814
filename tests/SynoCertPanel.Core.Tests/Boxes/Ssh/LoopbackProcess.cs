using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>
/// A server program started by a test on 127.0.0.1 (sshd, nginx): its output is collected, start-up waits until it
/// listens, and disposing ends it with its children.
/// </summary>
public sealed class LoopbackProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private LoopbackProcess(Process process) => this.process = process;

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>Starts <paramref name="program"/> and waits until something accepts connections on <paramref name="port"/>.</summary>
    public static async Task<LoopbackProcess> StartAsync(string program, IEnumerable<string> arguments, int port)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var running = new LoopbackProcess(Process.Start(start)!);
        running.process.OutputDataReceived += running.Collect;
        running.process.ErrorDataReceived += running.Collect;
        running.process.BeginOutputReadLine();
        running.process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (running.process.HasExited)
            {
                throw new InvalidOperationException($"{program} stopped at start (exit {running.process.ExitCode}): {running.Log}");
            }

            if (await Accepts(port))
            {
                return running;
            }

            await Task.Delay(50);
        }

        running.Dispose();
        throw new InvalidOperationException($"{program} did not listen on port {port} within 15 s: {running.Log}");
    }

    /// <summary>A port nothing listens on right now (the kernel's choice, released at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }
}
