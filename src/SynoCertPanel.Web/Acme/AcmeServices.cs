using Microsoft.Extensions.DependencyInjection.Extensions;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Acme.Validation;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Acme;

/// <summary>Registers the ACME server: nonces, validators and validation runs live as long as the panel.</summary>
public static class AcmeServices
{
    /// <summary>Each validation attempt's bound: connect, redirects and the body together.</summary>
    public static readonly TimeSpan ValidationTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddAcme(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new AcmeNonces(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AcmeResolver(sp.GetRequiredService<PanelStorage>()));
        services.TryAddSingleton(sp => new AcmeDnsResolver(sp.GetRequiredService<PanelStorage>()));
        services.AddSingleton<IChallengeValidator>(sp => new Http01Validator(sp.GetRequiredService<AcmeResolver>(), ValidationTimeout));
        services.AddSingleton<IChallengeValidator>(sp => new TlsAlpn01Validator(sp.GetRequiredService<AcmeResolver>(), ValidationTimeout));
        services.AddSingleton<IChallengeValidator>(sp => new Dns01Validator(sp.GetRequiredService<AcmeDnsResolver>(), ValidationTimeout));
        services.TryAddSingleton<AcmeValidations>();
        services.TryAddSingleton(sp => new AcmeRateLimits(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AcmeRevocationLists(sp.GetRequiredService<PanelStorage>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AcmeServer(sp.GetRequiredService<PanelStorage>(), sp.GetRequiredService<AcmeNonces>(),
            sp.GetRequiredService<AcmeValidations>(), new SigningService(sp.GetRequiredService<PanelStorage>(), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<AcmeRateLimits>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddScoped<AcmeDirectoryService>();
        services.TryAddScoped<AcmeHistory>();
        services.AddHostedService<AcmeStartup>();
        return services;
    }
}

/// <summary>At start-up, settles validations a stop cut off (see <see cref="AcmeValidations.RecoverAsync"/>); a panel that never served ACME skips it.</summary>
internal sealed class AcmeStartup(PanelStorage storage, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await storage.HasAnyRowAsync("AcmeChallenges", cancellationToken).ConfigureAwait(false))
        {
            await AcmeValidations.RecoverAsync(storage, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
