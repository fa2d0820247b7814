using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

/// <summary>Moving the running listener to other ports and addresses inside the process, on real sockets.</summary>
public sealed class RebindTests : IAsyncLifetime
{
    /// <summary>TEST-NET-3 (RFC 5737), documentation only; checked against this machine's addresses before use.</summary>
    private static readonly IPAddress NotLocal = IPAddress.Parse("203.0.113.77");

    private readonly string _data = Directory.CreateTempSubdirectory("synocert-rebind-").FullName;
    private RunningPanel? _panel;

    private ListenerRebinder Rebinder => _panel!.App.Services.GetRequiredService<ListenerRebinder>();

    public Task InitializeAsync()
    {
        var local = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address);
        Assert.DoesNotContain(NotLocal, local);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_panel is not null)
        {
            await _panel.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Rebind_ToFreePorts_ServesTheCurrentCertificateThereAndTheOldPortStops()
    {
        _panel = await RunningPanel.StartAsync(_data);
        var oldEndpoint = _panel.Endpoint;
        var https = FreePort();
        var http = FreePort();

        var moved = await Rebinder.RebindAsync(new ListenerBinding(https, http, [IPAddress.Loopback]), "test");

        Assert.True(moved.IsSuccess, moved.Error);
        var served = await HandshakeProbe.ServedThumbprintAsync(new IPEndPoint(IPAddress.Loopback, https), "localhost", TimeSpan.FromSeconds(5));
        Assert.True(served.IsSuccess, served.Error);
        Assert.Equal(_panel.Served.Thumbprint, served.Value);
        Assert.Equal(_panel.Served.Thumbprint, _panel.OpenSslThumbprint(https));
        Assert.True(await StopsAnsweringAsync(oldEndpoint), $"{oldEndpoint} still accepts connections");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await client.GetAsync(new Uri($"http://127.0.0.1:{http}/health"));
        Assert.Equal(new Uri($"https://127.0.0.1:{https}/health"), redirect.Headers.Location);
        Assert.Equal(https, _panel.Endpoint.Port);
    }

    [Fact]
    public async Task Rebind_ThenApplyCertificate_NewBindingServesTheNewCertificate()
    {
        _panel = await RunningPanel.StartAsync(_data);
        var https = FreePort();
        Assert.True((await Rebinder.RebindAsync(new ListenerBinding(https, 0, [IPAddress.Loopback]), "test")).IsSuccess);
        var created = await _panel.CreateServerCertificateAsync("localhost", "127.0.0.1");

        var applied = await _panel.Listener.ApplyAsync(created.CertificateId, "localhost", confirmed: false, "test");

        Assert.True(applied.IsSuccess, applied.Error);
        Assert.Equal(applied.Value.Thumbprint, _panel.OpenSslThumbprint(https));
    }

    [Fact]
    public async Task Rebind_OldEndpointStillDraining_ApplyConfirmsOnTheNewBinding()
    {
        _panel = await RunningPanel.StartAsync(_data);
        // A connection that never starts its handshake keeps Kestrel draining the old endpoint (up to 5 s): its socket
        // no longer accepts, but Kestrel still lists it among the bound addresses until the drain ends.
        using var lingering = new TcpClient();
        await lingering.ConnectAsync(_panel.Endpoint);
        var https = FreePort();
        Assert.True((await Rebinder.RebindAsync(new ListenerBinding(https, 0, [IPAddress.Loopback]), "test")).IsSuccess);
        var created = await _panel.CreateServerCertificateAsync("localhost", "127.0.0.1");

        var applied = await _panel.Listener.ApplyAsync(created.CertificateId, "localhost", confirmed: false, "test");

        Assert.True(applied.IsSuccess, applied.Error);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, https), _panel.Endpoint);
        Assert.Equal(applied.Value.Thumbprint, _panel.OpenSslThumbprint(https));
    }

    [Fact]
    public async Task Rebind_PortHeldByAnotherSocket_RefusedAndTheOldBindingStillAnswers()
    {
        _panel = await RunningPanel.StartAsync(_data);
        var before = _panel.Endpoint;
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var taken = ((IPEndPoint)other.LocalEndpoint).Port;

        var moved = await Rebinder.RebindAsync(new ListenerBinding(taken, 0, [IPAddress.Loopback]), "test");

        Assert.False(moved.IsSuccess);
        Assert.Contains($"another program already listens on 127.0.0.1:{taken}", moved.Error, StringComparison.Ordinal);
        Assert.Equal(before, _panel.Endpoint);
        Assert.Equal(_panel.Served.Thumbprint, await _panel.HandshakeThumbprintAsync());
        Assert.Null(await StoredBindingAsync());
        Assert.True(await RefusalAuditedAsync());
    }

    [Fact]
    public async Task Rebind_AddressNotOfThisMachineOnANewPort_RefusedBeforeAnythingChanges()
    {
        _panel = await RunningPanel.StartAsync(_data);
        var before = _panel.Endpoint;

        var moved = await Rebinder.RebindAsync(new ListenerBinding(FreePort(), 0, [NotLocal]), "test");

        Assert.False(moved.IsSuccess);
        Assert.Contains("203.0.113.77 is not an address of this machine", moved.Error, StringComparison.Ordinal);
        Assert.Equal(before, _panel.Endpoint);
        Assert.Equal(_panel.Served.Thumbprint, await _panel.HandshakeThumbprintAsync());
    }

    [Fact]
    public async Task Rebind_AddressNotOfThisMachineOnTheCurrentPort_FallsBackToTheOldBinding()
    {
        var port = FreePort();
        _panel = await RunningPanel.StartAsync(_data, options: new ServeOptions { HttpsPort = port, HttpPort = 0, BindAddress = IPAddress.Loopback });

        // The same port on another address replaces the old socket, so Kestrel itself meets the failure.
        var moved = await Rebinder.RebindAsync(new ListenerBinding(port, 0, [NotLocal]), "test");

        Assert.False(moved.IsSuccess);
        Assert.Contains("203.0.113.77 is not an address of this machine", moved.Error, StringComparison.Ordinal);
        Assert.Contains("listens on the previous binding again", moved.Error, StringComparison.Ordinal);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), _panel.Endpoint);
        Assert.Equal(_panel.Served.Thumbprint, await _panel.HandshakeThumbprintAsync());
        Assert.Equal(_panel.Served.Thumbprint, _panel.OpenSslThumbprint(port));
        Assert.Null(await StoredBindingAsync());
    }

    [Fact]
    public async Task Rebind_Stored_UsedByTheNextStartWhenNothingWasGiven()
    {
        var nothingGiven = new ServeOptions { HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback, Given = ListenerOptionsGiven.None };
        _panel = await RunningPanel.StartAsync(_data, options: nothingGiven);
        var https = FreePort();
        Assert.True((await Rebinder.RebindAsync(new ListenerBinding(https, 0, [IPAddress.Loopback]), "test")).IsSuccess);
        await _panel.DisposeAsync();
        _panel = null;

        _panel = await RunningPanel.StartAsync(_data, options: nothingGiven);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, https), _panel.Endpoint);
        Assert.Equal(_panel.Served.Thumbprint, _panel.OpenSslThumbprint(https));
        Assert.Equal("https=" + https + ";http=0;bind=127.0.0.1", await StoredBindingAsync());
    }

    [Fact]
    public async Task Restart_HttpsPortGivenAtStart_WinsOverTheStoredBinding()
    {
        _panel = await RunningPanel.StartAsync(_data, options: new ServeOptions { HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback, Given = ListenerOptionsGiven.None });
        var stored = FreePort();
        Assert.True((await Rebinder.RebindAsync(new ListenerBinding(stored, 0, [IPAddress.Loopback]), "test")).IsSuccess);
        await _panel.DisposeAsync();
        _panel = null;
        var given = FreePort();

        _panel = await RunningPanel.StartAsync(_data, options: new ServeOptions { HttpsPort = given, HttpPort = 0, BindAddress = IPAddress.Loopback, Given = ListenerOptionsGiven.HttpsPort });

        Assert.Equal(given, _panel.Endpoint.Port);
        Assert.Equal(ListenerOptionsGiven.HttpsPort, Rebinder.Given);
        Assert.False(await StopsAnsweringAsync(new IPEndPoint(IPAddress.Loopback, given), TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Restart_StoredPortTakenMeanwhile_StartsOnTheStartOptionsInstead()
    {
        var nothingGiven = new ServeOptions { HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback, Given = ListenerOptionsGiven.None };
        _panel = await RunningPanel.StartAsync(_data, options: nothingGiven);
        var stored = FreePort();
        Assert.True((await Rebinder.RebindAsync(new ListenerBinding(stored, 0, [IPAddress.Loopback]), "test")).IsSuccess);
        await _panel.DisposeAsync();
        _panel = null;
        using var other = new TcpListener(IPAddress.Loopback, stored);
        other.Start();

        _panel = await RunningPanel.StartAsync(_data, options: nothingGiven);

        Assert.NotEqual(stored, _panel.Endpoint.Port);
        Assert.Equal(_panel.Served.Thumbprint, await _panel.HandshakeThumbprintAsync());
        Assert.Contains($"another program already listens on 127.0.0.1:{stored}", _panel.App.Services.GetRequiredService<ListenerStart>().StoredProblem,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebind_SameBindingAgain_RefusedAsNothingToDo()
    {
        var port = FreePort();
        _panel = await RunningPanel.StartAsync(_data, options: new ServeOptions { HttpsPort = port, HttpPort = 0, BindAddress = IPAddress.Loopback });

        var moved = await Rebinder.RebindAsync(new ListenerBinding(port, 0, [IPAddress.Loopback]), "test");

        Assert.False(moved.IsSuccess);
        Assert.Contains("already listens there", moved.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>True once a connection to <paramref name="endpoint"/> is refused; false if it still connects after <paramref name="limit"/>.</summary>
    private static async Task<bool> StopsAnsweringAsync(IPEndPoint endpoint, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        do
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(endpoint);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return true;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }

    private async Task<string?> StoredBindingAsync()
    {
        await using var db = (await _panel!.OpenSecondStorageAsync()).CreateContext();
        return (await db.Settings.SingleOrDefaultAsync(s => s.Name == ListenerBindingStore.Setting))?.Value;
    }

    private async Task<bool> RefusalAuditedAsync()
    {
        await using var db = (await _panel!.OpenSecondStorageAsync()).CreateContext();
        return await db.AuditEvents.AnyAsync(e => e.Action == ListenerBindingStore.AuditAction && e.Outcome == AuditOutcome.Refused);
    }
}

