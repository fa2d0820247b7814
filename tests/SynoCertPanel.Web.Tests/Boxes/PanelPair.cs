using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Api;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>
/// The seed scenario's two panels, both real (<see cref="BrowserPanel"/> on 127.0.0.1): the first holds the home root,
/// the second (<see cref="ApiPanel"/>) serves the self-signed certificate it made on its first start and has a token for
/// the first. The second is added on the first as a box of kind panel for localhost and 127.0.0.1.
/// </summary>
internal sealed class PanelPair : IAsyncDisposable
{
    public const string RootName = "Home Lab Root CA";
    public const string BoxName = "nas2";

    private PanelPair(BrowserPanel first, ApiPanel second, int rootId, string rootPem)
    {
        First = first;
        Second = second;
        RootId = rootId;
        RootPem = rootPem;
    }

    public BrowserPanel First { get; }

    public ApiPanel Second { get; }

    public int RootId { get; }

    public string RootPem { get; }

    public PanelStorage FirstStorage => First.Services.GetRequiredService<PanelStorage>();

    public int SecondPort => Second.Panel.Port;

    /// <summary>The certificate the second panel's listener serves now.</summary>
    public ListenerCertificate SecondServes => Second.Panel.Services.GetRequiredService<CertificateHolder>().Current;

    public string SecondServedFingerprint => Convert.ToHexString(SHA256.HashData(SecondServes.Certificate.RawData));

    public static async Task<PanelPair> StartAsync()
    {
        var rootId = 0;
        var rootPem = string.Empty;
        var first = await BrowserPanel.StartAsync(async storage =>
        {
            var root = await new AuthorityService(storage, TimeProvider.System).CreateRootAsync(new RootCaOptions
            {
                Subject = DistinguishedName.Create(RootName, "Home Lab").Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            }, "admin");
            Assert.True(root.IsSuccess, root.Error);
            rootId = root.Value.Id;
            var details = await new InventoryService(storage, TimeProvider.System).GetAsync(root.Value.CertificateId);
            Assert.True(details.IsSuccess, details.Error);
            rootPem = details.Value.Certificate.ToPem();
        });
        var second = await ApiPanel.StartAsync();
        return new PanelPair(first, second, rootId, rootPem);
    }

    /// <summary>A token on the second panel, as its Settings page or `token create` makes it.</summary>
    public async Task<string> TokenAsync(params string[] scopes) => (await Second.CreateTokenAsync("nas1 delivery " + scopes.Length, scopes)).Secret;

    /// <summary>Adds the second panel on the first as a box of kind panel, watched on its listener by name and by IP.</summary>
    public async Task AddBoxAsync(string token, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<string>? watch = null)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { [BoxTls.UrlOption] = Second.Panel.Address };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            all[name] = value;
        }

        await using var scope = First.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<BoxService>().AddAsync(new BoxDraft
        {
            Name = BoxName,
            Addresses = ["localhost", "127.0.0.1"],
            Watch = watch ?? [Endpoint("localhost", SecondPort), Endpoint("127.0.0.1", SecondPort)],
            Delivery = "panel",
            Settings = all,
            Secrets = new Dictionary<string, string> { ["api-token"] = token },
            AuthorityId = RootId,
        }, "admin");
        Assert.True(added.IsSuccess, added.Error);
    }

    /// <summary>One deploy on the first panel through the service its pages and command line use.</summary>
    public async Task<DeploymentSummary> DeployAsync()
    {
        var deployed = await TryDeployAsync();
        Assert.True(deployed.IsSuccess, deployed.Error);
        return deployed.Value;
    }

    public async Task<Result<DeploymentSummary>> TryDeployAsync(int? certificateId = null)
    {
        await using var scope = First.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeployService>().DeployAsync(BoxName, certificateId, "admin");
    }

    /// <summary>A deploy whose verification gives up after two seconds, for a box whose watched endpoint never serves the new certificate.</summary>
    public async Task<DeploymentSummary> DeployQuicklyAsync()
    {
        var deploys = new DeployService(FirstStorage, First.Services.GetRequiredService<BoxDeliveries>(), new EndpointProbe(TimeProvider.System), TimeProvider.System)
        {
            VerifyWindow = TimeSpan.FromSeconds(2),
            VerifyRetryDelay = TimeSpan.FromMilliseconds(200),
        };
        var deployed = await deploys.DeployAsync(BoxName, null, "admin");
        Assert.True(deployed.IsSuccess, deployed.Error);
        return deployed.Value;
    }

    public async Task<Result<DeliveryOutcome>> TestConnectionAsync()
    {
        await using var scope = First.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BoxService>().TestAsync(BoxName, "admin");
    }

    public async Task<BoxSummary> BoxAsync()
    {
        await using var scope = First.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<BoxService>().FindAsync(BoxName)).Value;
    }

    public async Task<IReadOnlyList<PendingRequest>> SecondPendingAsync() => await new RequestService(Second.Storage, TimeProvider.System).ListAsync();

    public async Task<IReadOnlyList<ApiTokenSummary>> SecondTokensAsync() => await new ApiTokenService(Second.Storage, TimeProvider.System).ListAsync();

    public static string Endpoint(string host, int port) => string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
