using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth.Pages;

namespace SynoCertPanel.Web.Auth;

public static class PanelAuthenticationExtensions
{
    /// <summary>
    /// How often Identity rebuilds the principal from the account and renews the cookie. Whether the session still
    /// counts (stamp unchanged, not signed out) is checked on every request by <see cref="PanelSessions"/>.
    /// </summary>
    public static readonly TimeSpan SecurityStampValidationInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Accounts (Identity on the data directory's database), cookie sign-in, and authorization where every
    /// endpoint needs a signed-in user unless it is public (<see cref="PublicPaths"/>) or AllowAnonymous.
    /// </summary>
    public static WebApplicationBuilder AddPanelAuthentication(this WebApplicationBuilder builder, PanelStorage storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storage);
        var data = storage.Data;
        var services = builder.Services;
        services.TryAddSingleton(storage);
        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContext<AccountsDbContext>(options => AccountsDbContext.Configure(options, data.ConnectionString));

        // Keys for cookies and antiforgery tokens live with the data, so a restart or a new container keeps sessions,
        // sealed with the key-encryption key like every private key.
        var keys = new DirectoryInfo(Path.Combine(data.Path, "data-protection-keys"));
        services.AddSingleton(UnsealedKeyRemoval.Run(keys));
        services.AddDataProtection()
            .PersistKeysToFileSystem(keys)
            .SetApplicationName("SynoCertPanel");
        services.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new KeyRingEncryptor(storage.Protector));

        services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        }).AddIdentityCookies();
        services.AddIdentityCore<IdentityUser>(PanelIdentityOptions.Apply)
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddSignInManager<PanelSignInManager>()
            .AddTokenProvider<AuthenticatorTokenProvider<IdentityUser>>(TokenOptions.DefaultAuthenticatorProvider);
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, PanelCookieOptions>();
        services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider>((options, time) =>
        {
            options.TimeProvider = time;
            options.ValidationInterval = SecurityStampValidationInterval;
            options.OnRefreshingPrincipal = KeepSessionClaims;
        });

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "__Host-synocert-af";
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = "X-CSRF-TOKEN";
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new PanelAccessRequirement()).Build())
            .AddPolicy(PanelPolicies.RecentLogin, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new RecentLoginRequirement(PanelPolicies.RecentLoginWindow)));
        services.AddSingleton<IAuthorizationHandler, PanelAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, RecentLoginHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, PanelAuthorizationResultHandler>();

        services.AddSingleton<SetupToken>();
        services.AddSingleton(LockoutRules.CreateUnknownNameLockout);
        services.AddScoped<LoginService>();
        services.AddScoped<PanelSessions>();
        services.AddSingleton<SessionCircuits>();
        services.AddScoped<AuthenticationStateProvider, CircuitAuthenticationStateProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, SessionCircuitHandler>());
        services.AddSingleton<AccountChecks>();
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<AccountsStartup>(provider, data));
        return builder;
    }

    /// <summary>Authentication, authorization and antiforgery in the pipeline, and the sign-in and account pages.</summary>
    public static WebApplication UsePanelAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseMiddleware<Protection.OversizedFormMiddleware>();
        SetupPage.Map(app);
        LoginPages.Map(app);
        ReauthenticatePage.Map(app);
        PasswordPage.Map(app);
        TwoFactorPage.Map(app);
        return app;
    }

    /// <summary>The stamp check rebuilds the principal from the database; the session's own claims must survive it.</summary>
    private static Task KeepSessionClaims(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.NewPrincipal?.Identity is ClaimsIdentity identity && context.CurrentPrincipal is { } current)
        {
            foreach (var claim in current.Claims.Where(c => c.Type is PanelClaims.LastAuthenticatedAt or PanelClaims.SessionId))
            {
                identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType));
            }
        }

        return Task.CompletedTask;
    }
}
