using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Components.Common;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Components;

namespace SynoCertPanel.Web.Tests.Settings;

/// <summary>The component base plus a real account (Identity on the same data directory) for the signed-in admin.</summary>
public abstract class SettingsComponentTest : PanelComponentTest
{
    public const string AccountPassword = "correct horse battery";

    /// <summary>The listener of a panel the test started, for the settings page's listener section.</summary>
    protected ListenerRebinder? Rebinder { get; set; }

    protected IdentityUser Account { get; } = new(UserName) { Id = Guid.NewGuid().ToString() };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddScoped(_ => new AccountsDbContext(AccountsDbContext.ContextOptions(Storage.Data)));
        // The authenticator provider too, so a confirmation with two-factor sign-in on checks a real code.
        Services.AddIdentityCore<IdentityUser>(PanelIdentityOptions.Apply).AddEntityFrameworkStores<AccountsDbContext>()
            .AddTokenProvider<AuthenticatorTokenProvider<IdentityUser>>(TokenOptions.DefaultAuthenticatorProvider);
        Services.AddSingleton<AccountChecks>();
        // Resolved when a page renders, so a test can start its listener after the services are built.
        Services.AddSingleton(_ => Rebinder ?? throw new InvalidOperationException("This test started no listener."));
        Services.AddSingleton(provider => new PasswordConfirmation(provider.GetRequiredService<IServiceScopeFactory>(), Time));
        AddAuthorization().SetAuthorized(UserName).SetClaims(new Claim(ClaimTypes.NameIdentifier, Account.Id));
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().MigrateAsync(Storage.Data);
        var created = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().CreateAsync(Account, AccountPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
    }

    protected async Task<IdentityUser> ReloadAccountAsync()
    {
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByIdAsync(Account.Id))!;
    }

    protected static void Type<T>(IRenderedComponent<T> component, string testId, string value)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        component.Find($"input[data-testid={testId}], [data-testid={testId}] input").Change(value);

    /// <summary>The bytes of every file handed to the browser's save (the stream is closed by then; a MemoryStream still gives its bytes).</summary>
    protected IReadOnlyList<(string FileName, byte[] Content)> SavedFiles() =>
        JSInterop.Invocations[BrowserFiles.SaveFunction]
            .Select(i => ((string)i.Arguments[0]!, ((MemoryStream)((Microsoft.JSInterop.DotNetStreamReference)i.Arguments[2]!).Stream).ToArray()))
            .ToList();

    protected static string Text<T>(IRenderedComponent<T> component, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        component.Find($"[data-testid={testId}]").TextContent;

    protected static IElement? FindOrNull<T>(IRenderedComponent<T> component, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        component.FindAll($"[data-testid={testId}]") is { Count: > 0 } found ? found[0] : null;

    protected async Task<int> AuditCountAsync()
    {
        await using var db = Storage.CreateContext();
        return await db.AuditEvents.CountAsync();
    }
}
