// Probing many TLS endpoints: ProbeRunner + EndpointProbe + EndpointVerdict over COUNT endpoints (default 500) served by
// a separate server process (this script started again with "serve": SslStream listeners on PORTS loopback ports, a
// P-256 leaf for *.home.arpa and its intermediate from the engine), COUNT connections spread over the ports, one SNI
// name each. Measured in this process: wall time, the most sockets open at once and RSS (sampled every 5 ms) against
// idle. Then openssl s_client doing the same handshakes, serially and with xargs -P at the same bound.
// Run from the repository root: dotnet run -c Release bench/watch-probe.cs [COUNT] [BOUND] [PORTS]
#:project ../src/SynoCertPanel.Core/SynoCertPanel.Core.csproj
#:property PublishAot=false
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property GenerateDocumentationFile=false
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

if (args is ["serve", var portCount, var directory])
{
    await ServeAsync(int.Parse(portCount, CultureInfo.InvariantCulture), directory);
    return;
}

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var bound = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : ProbeRunner.DefaultMaxConcurrent;
var ports = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
var work = Directory.CreateTempSubdirectory("synocert-bench-watch-").FullName;
Process? server = null;
try
{
    var issuer = new CertificateIssuer();
    var root = issuer.CreateRootCa(new RootCaOptions { Subject = DistinguishedName.Create("Bench Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256, AllowIntermediates = true }).Value;
    var intermediate = issuer.CreateIntermediateCa(CertificateAuthority.Create(root.Certificate, root.Key!).Value,
        new IntermediateCaOptions { Subject = DistinguishedName.Create("Bench Intermediate").Value }).Value;
    var leaf = issuer.IssueLeaf(CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, [root.Certificate]).Value,
        new LeafOptions { SubjectAlternativeNames = [SubjectAlternativeName.Dns("*.home.arpa")], KeyAlgorithm = KeyAlgorithm.EcdsaP256 }).Value;
    File.WriteAllText(Path.Combine(work, "leaf.pem"), leaf.Certificate.ToPem());
    File.WriteAllText(Path.Combine(work, "leaf.key"), Pem.Encode(Pem.PrivateKeyLabel, leaf.Key!.ExportPkcs8()));
    File.WriteAllText(Path.Combine(work, "chain.pem"), intermediate.Certificate.ToPem());

    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
    foreach (var argument in (string[])["serve", ports.ToString(CultureInfo.InvariantCulture), work])
    {
        start.ArgumentList.Add(argument);
    }

    server = Process.Start(start)!;
    var listening = (await server.StandardOutput.ReadLineAsync())!.Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    var targets = Enumerable.Range(0, count).Select(i => new ProbeTarget("127.0.0.1", listening[i % listening.Length], $"box{i}.home.arpa")).ToList();
    var expected = new EndpointExpectation { HomeRoots = [root.Certificate], TrustSystemRoots = false };
    var probe = new EndpointProbe(TimeProvider.System);

    // Idle before any probe, then a warm-up round at the full bound (JIT, the TLS stack, the chain builder, OpenSSL's
    // and the allocator's per-connection memory: what an idle panel holds after its first scheduled run); idle again.
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var cold = RssKiB();
    await foreach (var result in new ProbeRunner(probe, bound).RunAsync(targets.Take(bound * 2)))
    {
        EndpointVerdict.Judge(result, expected, TimeProvider.System);
    }

    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    await Task.Delay(500);
    var idle = RssKiB();
    var idleSockets = Sockets();

    var idleHeap = GC.GetTotalMemory(false);
    var peakRss = idle;
    var peakSockets = idleSockets;
    var peakHeap = idleHeap;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakRss = Math.Max(peakRss, RssKiB());
            peakSockets = Math.Max(peakSockets, Sockets());
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            await Task.Delay(5);
        }
    });

    var verdicts = new List<EndpointVerdict>(count);
    var times = new List<double>(count);
    var allocatedBefore = GC.GetTotalAllocatedBytes(true);
    var clock = Stopwatch.StartNew();
    await foreach (var result in new ProbeRunner(probe, bound).RunAsync(targets))
    {
        times.Add(result.Elapsed.TotalMilliseconds);
        verdicts.Add(EndpointVerdict.Judge(result, expected, TimeProvider.System));
    }

    var elapsed = clock.Elapsed;
    var allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
    await sampling.CancelAsync();
    await sampler;
    var after = RssKiB();

    // The judging alone, again on one served result, to split the allocations.
    var sample = await probe.ProbeAsync(targets[0]);
    var judgeBefore = GC.GetTotalAllocatedBytes(true);
    var judgeClock = Stopwatch.StartNew();
    for (var i = 0; i < 100; i++)
    {
        EndpointVerdict.Judge(sample, expected, TimeProvider.System);
    }

    var judgeMs = judgeClock.Elapsed.TotalMilliseconds / 100;
    var perJudge = (GC.GetTotalAllocatedBytes(true) - judgeBefore) / 100;

    var states = verdicts.GroupBy(v => v.State).Select(g => $"{g.Key} {g.Count()}");
    var handshakes = verdicts.Count(v => v.State == EndpointState.Ok);
    Console.WriteLine($"load before: {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine($"probe + judge {count} endpoints on {listening.Length} ports, bound {bound}: {elapsed.TotalSeconds:F2} s ({count / elapsed.TotalSeconds:F0}/s); states: {string.Join(", ", states)}");
    Console.WriteLine($"sockets open at once (this process, sampled every 5 ms): idle {idleSockets}, max {peakSockets}");
    Console.WriteLine($"RSS: before any probe {cold / 1024.0:F1} MiB; idle after a warm-up round {idle / 1024.0:F1} MiB, peak {peakRss / 1024.0:F1} MiB (+{(peakRss - idle) / 1024.0:F1} MiB), after {after / 1024.0:F1} MiB");
    Console.WriteLine($"managed heap: idle {idleHeap / 1048576.0:F1} MiB, peak {peakHeap / 1048576.0:F1} MiB; GC: server {System.Runtime.GCSettings.IsServerGC}, latency {System.Runtime.GCSettings.LatencyMode}; gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; MALLOC_ARENA_MAX={Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "unset"}, DOTNET_GCgen0size={Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "unset"}");
    Console.WriteLine($"managed allocations: {allocated / count / 1024.0:F0} KiB per endpoint (probe + judge), of which judging {perJudge / 1024.0:F0} KiB; one judgement alone takes {judgeMs:F2} ms");
    times.Sort();
    Console.WriteLine($"one probe (connect + handshake, not the wait for a slot): p50 {times[times.Count / 2]:F1} ms, p95 {times[times.Count * 95 / 100]:F1} ms");
    if (handshakes != count)
    {
        Console.WriteLine($"WARNING: {count - handshakes} endpoints were not OK: {verdicts.First(v => v.State != EndpointState.Ok).Message}");
    }

    if (args.Length > 3 && args[3] == "no-openssl")
    {
        return;
    }

    var serial = OpenSslRun(work, listening, count, 1);
    var parallel = OpenSslRun(work, listening, count, bound);
    Console.WriteLine($"openssl s_client, {count} handshakes serially: {serial.TotalSeconds:F2} s; with xargs -P {bound}: {parallel.TotalSeconds:F2} s");
    Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
}
finally
{
    if (server is not null)
    {
        server.StandardInput.Close();
        await server.WaitForExitAsync();
    }

    Directory.Delete(work, recursive: true);
}

static long RssKiB()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
    }

    return 0;
}

static int Sockets()
{
    var open = 0;
    foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
    {
        try
        {
            if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
            {
                open++;
            }
        }
        catch (IOException)
        {
        }
    }

    return open;
}

static TimeSpan OpenSslRun(string work, int[] ports, int count, int parallel)
{
    var lines = string.Join('\n', Enumerable.Range(0, count).Select(i => $"{ports[i % ports.Length]} box{i}.home.arpa"));
    File.WriteAllText(Path.Combine(work, "targets"), lines + "\n");
    var script = $"xargs -P {parallel} -L 1 sh -c 'openssl s_client -connect 127.0.0.1:$0 -servername $1 </dev/null >/dev/null 2>&1' < targets";
    var start = new ProcessStartInfo("bash") { WorkingDirectory = work };
    start.ArgumentList.Add("-c");
    start.ArgumentList.Add(script);
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    process.WaitForExit();
    return clock.Elapsed;
}

static async Task ServeAsync(int portCount, string directory)
{
    using var leaf = X509Certificate2.CreateFromPemFile(Path.Combine(directory, "leaf.pem"), Path.Combine(directory, "leaf.key"));
    using var chain = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, "chain.pem")));
    var context = SslStreamCertificateContext.Create(leaf, [chain], offline: true);
    var listeners = Enumerable.Range(0, portCount).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
    foreach (var listener in listeners)
    {
        listener.Start(1024);
    }

    Console.WriteLine(string.Join(' ', listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)));
    using var stop = new CancellationTokenSource();
    var accepting = listeners.Select(listener => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await using var tls = new SslStream(client.GetStream());
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }, stop.Token);
                        var buffer = new byte[64];
                        while (await tls.ReadAsync(buffer, stop.Token) > 0)
                        {
                        }
                    }
                    catch (Exception)
                    {
                        // The client hangs up right after the handshake.
                    }
                }
            });
        }
    })).ToArray();

    await Console.In.ReadToEndAsync();
    await stop.CancelAsync();
    foreach (var listener in listeners)
    {
        listener.Stop();
    }

    await Task.WhenAll(accepting);
}
