using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Trust;

/// <summary>The real panel (PanelHost on 127.0.0.1, random port) over a data directory holding one root CA.</summary>
public sealed class TrustServer : IAsyncLifetime
{
    public const string HostileCommonName = "Home <script>alert(1)</script> & \"Root\"";

    private WebApplication? _app;

    public string Data { get; } = Directory.CreateTempSubdirectory("synocert-trust-").FullName;

    public int AuthorityId { get; private set; }

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress => new(_app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    public async Task InitializeAsync()
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        var authority = await new AuthorityService(storage, TimeProvider.System).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create(HostileCommonName, "Home Lab").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = 3650,
        }, "test");
        AuthorityId = authority.Value.Id;

        _app = PanelHost.Build(new ServeOptions { DataDirectory = Data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback });
        await _app.StartAsync();
        // The panel serves its start-up certificate; these tests check the downloads, not the listener's trust.
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        Client = new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public async Task<PanelStorage> OpenStorageAsync() => (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data, recursive: true);
    }
}
