using System.Diagnostics;
using System.Globalization;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// Debian's dnsmasq as the lab's DNS server on 127.0.0.1 (a random port, no upstream, authoritative for home.arpa),
/// serving the TXT, A and CNAME records a test writes. dnsmasq reads TXT records only at start, so a change restarts it;
/// <see cref="LegoExecScript"/> does the same for lego's exec DNS provider (present/cleanup FQDN VALUE).
/// </summary>
internal sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly string _root;

    private DnsmasqServer(string root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }

    public string EndPoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>A script for lego's exec provider (EXEC_PATH): it adds or removes the TXT record and restarts the server.</summary>
    public string LegoExecScript => Path.Combine(_root, "lego-exec.sh");

    private string RecordsFile => Path.Combine(_root, "records.conf");

    /// <summary>Starts it with dnsmasq configuration lines such as <c>txt-record=NAME,"VALUE"</c>, <c>host-record=NAME,ADDRESS</c>, <c>cname=ALIAS,TARGET</c>.</summary>
    public static async Task<DnsmasqServer> StartAsync(params string[] records)
    {
        var root = Directory.CreateTempSubdirectory("synocert-dnsmasq-").FullName;
        var server = new DnsmasqServer(root, AcmeLab.FreePort());
        await File.WriteAllTextAsync(Path.Combine(root, "dnsmasq.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            port={server.Port}
            listen-address=127.0.0.1
            bind-interfaces
            no-resolv
            no-hosts
            user=root
            pid-file={root}/dnsmasq.pid
            local=/home.arpa/
            conf-file={root}/records.conf

            """));
        await Script(Path.Combine(root, "restart.sh"), """
            #!/bin/sh
            dir=$(dirname "$0")
            if [ -f "$dir/dnsmasq.pid" ]; then
              pid=$(cat "$dir/dnsmasq.pid")
              kill "$pid" 2>/dev/null
              # Wait (2 s at most) until it is gone or only a zombie nobody reaps.
              i=0
              while [ $i -lt 100 ] && [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.02; i=$((i+1)); done
            fi
            exec dnsmasq --conf-file="$dir/dnsmasq.conf"
            """);
        await Script(server.LegoExecScript, """
            #!/bin/sh
            dir=$(dirname "$0")
            line="txt-record=${2%.},\"$3\""
            case "$1" in
              present) echo "$line" >> "$dir/records.conf" ;;
              cleanup) grep -v -x -F "$line" "$dir/records.conf" > "$dir/records.tmp"; mv "$dir/records.tmp" "$dir/records.conf" ;;
              *) exit 0 ;;
            esac
            exec "$dir/restart.sh"
            """);
        await server.SetRecordsAsync(records);
        return server;
    }

    /// <summary>Replaces the records and restarts the server; it answers once this returns (dnsmasq's parent waits for its start).</summary>
    public async Task SetRecordsAsync(params string[] records)
    {
        await File.WriteAllLinesAsync(RecordsFile, records);
        var started = await ExternalProcess.RunAsync(Path.Combine(_root, "restart.sh"), []);
        Assert.True(started.ExitCode == 0, started.Output + started.Error);
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_root, "dnsmasq.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    private static async Task Script(string path, string text)
    {
        await File.WriteAllTextAsync(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
