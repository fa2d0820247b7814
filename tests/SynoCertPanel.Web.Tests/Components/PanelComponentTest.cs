using Bunit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Auth;

namespace SynoCertPanel.Web.Tests.Components;

/// <summary>
/// The shared base of the page tests: MudBlazor services, loose JS interop, a signed-in admin, and a real
/// <see cref="PanelStorage"/> on a temporary SQLite database. MudBlazor's PopoverService is only
/// async-disposable, so the context is disposed through <see cref="IAsyncLifetime"/>.
/// </summary>
public abstract class PanelComponentTest : BunitContext, IAsyncLifetime
{
    public const string UserName = "admin";

    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-ui-").FullName;
    private ServiceProvider? _accounts;

    protected PanelStorage Storage { get; private set; } = null!;

    /// <summary>A folder for the test's own files (requests, downloads), deleted with the database.</summary>
    protected string WorkDirectory => _directory;

    protected TimeProvider Time { get; } = TimeProvider.System;

    /// <summary>Identity on the same data directory, as the panel sets it up (built when a test first needs an account).</summary>
    protected ServiceProvider Accounts => _accounts ??= AccountServices.Build(Storage.Data, Time);

    protected SelfSignedService SelfSigned => new(Storage, Time);

    /// <summary>What a server's first render would have handed to the circuit.</summary>
    protected Bunit.TestDoubles.BunitPersistentComponentState PersistentState { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Storage = (await PanelStorage.OpenAsync(new DataDirectory(Path.Combine(_directory, "data")))).Value;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Storage);
        Services.AddSingleton(Time);
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SynoCertPanel:BoxName"] = "nas1" }).Build());
        Services.AddSingleton<PanelInfo>();
        Services.AddScoped<InventoryService>();
        Services.AddScoped<AuthorityService>();
        Services.AddScoped<BootstrapRetirement>();
        Services.AddScoped<RenewService>();
        Services.AddScoped<SigningService>();
        Services.AddScoped<ImportService>();
        Services.AddScoped<SelfSignedService>();
        Services.AddScoped<RequestService>();
        Services.AddScoped<ExportService>();
        Services.AddScoped<SynoCertPanel.Core.Tokens.ApiTokenService>();
        Services.AddScoped<SynoCertPanel.Web.Components.Common.BrowserFiles>();
        Services.AddSingleton(_ => SynoCertPanel.Core.Boxes.BoxDeliveries.Standard(Time));
        Services.AddSingleton<SynoCertPanel.Core.Watch.IEndpointProbe>(_ => new SynoCertPanel.Core.Watch.EndpointProbe(Time));
        Services.AddScoped<SynoCertPanel.Core.Boxes.BoxService>();
        Services.AddSingleton(_ => SynoCertPanel.Core.Alerts.AlertChannels.Standard(Time, TimeSpan.FromSeconds(5)));
        Services.AddScoped<SynoCertPanel.Core.Alerts.AlertService>();
        Services.AddScoped<SynoCertPanel.Core.Boxes.BoxWatch>();
        Services.AddScoped<SynoCertPanel.Core.Services.ServiceMap>();
        Services.AddScoped<SynoCertPanel.Core.Acme.AcmeDirectoryService>();
        Services.AddScoped<SynoCertPanel.Core.Acme.AcmeHistory>();
        // A deploy whose box does not serve the certificate gives up after two seconds rather than the panel's twenty.
        Services.AddScoped(provider => new SynoCertPanel.Core.Boxes.DeployService(Storage, provider.GetRequiredService<SynoCertPanel.Core.Boxes.BoxDeliveries>(),
            provider.GetRequiredService<SynoCertPanel.Core.Watch.IEndpointProbe>(), Time)
        {
            VerifyWindow = TimeSpan.FromSeconds(2),
            VerifyRetryDelay = TimeSpan.FromMilliseconds(200),
        });
        Services.AddSingleton(_ => new PasswordConfirmation(Accounts.GetRequiredService<IServiceScopeFactory>(), Time));
        // A component rendered here has no request behind it (as in a circuit), and no state handed over from a first render.
        Services.AddSingleton<IHttpContextAccessor>(new HttpContextAccessor());
        PersistentState = AddBunitPersistentComponentState();
        AddAuthorization().SetAuthorized(UserName);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_accounts is not null)
        {
            await _accounts.DisposeAsync();
        }

        await DisposeMoreAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>What a derived test started besides the context (a running panel), stopped after the context.</summary>
    protected virtual Task DisposeMoreAsync() => Task.CompletedTask;

    /// <summary>Creates the signed-in admin's account with <paramref name="password"/>, for pages that ask for it again.</summary>
    protected async Task CreateAccountAsync(string password)
    {
        await using var scope = Accounts.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().MigrateAsync(Storage.Data);
        var created = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().CreateAsync(new IdentityUser(UserName), password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
    }

    /// <summary>The dialog, snackbar and popover hosts the layout normally provides.</summary>
    protected (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<MudSnackbarProvider> Snackbars) RenderProviders()
    {
        Render<MudPopoverProvider>();
        return (Render<MudDialogProvider>(), Render<MudSnackbarProvider>());
    }

    /// <summary>A root CA and a server certificate signed by it: two rows in the list.</summary>
    protected async Task<SelfSignedResult> SeedAsync(string host, string? description = null, bool setAsDefault = false, string? rootName = null)
    {
        var result = await SelfSigned.CreateAsync(new SelfSignedRequest
        {
            Root = new RootCaOptions { Subject = DistinguishedName.Create(rootName ?? $"{host} Root CA").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create(host).Value,
                SubjectAlternativeNames = SanParser.ParseAll([host]).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = description ?? host,
            SetAsDefault = setAsDefault,
        }, UserName);
        Assert.True(result.IsSuccess, result.Error);
        return result.Value;
    }

    /// <summary>What a first start makes: the panel's own "SynoCertPanel CA (nas1)" and a default certificate from it.</summary>
    protected async Task<int> SeedStartUpAsync()
    {
        var served = await new SynoCertPanel.Core.Listener.ServedCertificateStore(Storage, Time)
            .CreateSelfSignedDefaultAsync(SanParser.ParseAll(["nas1.local"]).Value, "nas1", "panel");
        Assert.True(served.IsSuccess, served.Error);
        return served.Value.CertificateId;
    }
}
