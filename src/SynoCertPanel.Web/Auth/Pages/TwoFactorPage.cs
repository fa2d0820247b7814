using System.Text;
using Microsoft.AspNetCore.Identity;
using QRCoder;
using static SynoCertPanel.Web.Auth.Pages.PanelPage;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>
/// /account/two-factor: enrol an authenticator app (key and QR code of its otpauth:// URI) or turn it off.
/// Behind a recent login: whoever holds a stolen session must not be able to lock the owner out with a new second factor.
/// </summary>
internal static class TwoFactorPage
{
    private const string Issuer = "SynoCertPanel";

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account/two-factor").RequireRecentLogin();
        group.MapGet("/", ShowAsync);
        group.MapGet("/qr.svg", QrCodeAsync);
        group.MapPost("/enable", EnableAsync);
        group.MapPost("/disable", DisableAsync);
    }

    private static async Task<IResult> ShowAsync(HttpContext context, SignInManager<IdentityUser> signIn)
    {
        var users = signIn.UserManager;
        var user = await users.GetUserAsync(context.User).ConfigureAwait(false);
        if (user is null)
        {
            return Results.Redirect("/login");
        }

        if (await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false))
        {
            return EnabledPage(context);
        }

        if (await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false) is null)
        {
            await users.ResetAuthenticatorKeyAsync(user).ConfigureAwait(false);
            await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        }

        return EnrolPage(context, (await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false))!, null);
    }

    private static async Task<IResult> QrCodeAsync(HttpContext context, UserManager<IdentityUser> users)
    {
        var user = await users.GetUserAsync(context.User).ConfigureAwait(false);
        var key = user is null ? null : await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false);
        if (user is null || key is null)
        {
            return Results.NotFound();
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(AuthenticatorUri(user.UserName ?? "admin", key), QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(5);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(svg, "image/svg+xml", Encoding.UTF8);
    }

    private static async Task<IResult> EnableAsync(HttpContext context, SignInManager<IdentityUser> signIn)
    {
        var form = await ReadValidatedFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused();
        }

        var users = signIn.UserManager;
        var user = await users.GetUserAsync(context.User).ConfigureAwait(false);
        var key = user is null ? null : await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false);
        if (user is null || key is null)
        {
            return Results.Redirect("/account/two-factor");
        }

        var code = LoginService.NormaliseCode(form["Code"]);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code).ConfigureAwait(false))
        {
            return EnrolPage(context, key, LoginOutcome.WrongCodeMessage);
        }

        await users.SetTwoFactorEnabledAsync(user, true).ConfigureAwait(false);
        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        return EnabledPage(context);
    }

    private static async Task<IResult> DisableAsync(HttpContext context, SignInManager<IdentityUser> signIn)
    {
        if (await ReadValidatedFormAsync(context).ConfigureAwait(false) is null)
        {
            return FormRefused();
        }

        var users = signIn.UserManager;
        var user = await users.GetUserAsync(context.User).ConfigureAwait(false);
        if (user is null)
        {
            return Results.Redirect("/login");
        }

        await users.SetTwoFactorEnabledAsync(user, false).ConfigureAwait(false);
        // A new key, so an app enrolled before cannot be reused if two-factor is turned on again.
        await users.ResetAuthenticatorKeyAsync(user).ConfigureAwait(false);
        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        return Results.Redirect("/account/two-factor");
    }

    internal static string AuthenticatorUri(string userName, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(userName)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    private static IResult EnabledPage(HttpContext context) =>
        Html("Two-factor sign-in", "<p>Two-factor sign-in is <strong>on</strong>: signing in asks for the code from your authenticator app.</p>"
            + Form(context, "/account/two-factor/disable", string.Empty, "Turn two-factor sign-in off", primary: false),
            barLinks: BackToThePanel);

    private static string BackToThePanel => PublicPageFrame.BarLink("/", "Back to the panel", "back-to-panel");

    private static IResult EnrolPage(HttpContext context, string key, string? error)
    {
        var grouped = string.Join(' ', key.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        return Html("Two-factor sign-in", Error(error)
            + "<p>Scan this code with an authenticator app, or type the key, then enter the 6-digit code it shows.</p>"
            + "<p><img src=\"/account/two-factor/qr.svg\" alt=\"QR code for the authenticator app\" width=\"250\" height=\"250\" class=\"panel-qr-image\"></p>"
            + $"<p>Key: <code data-key=\"{E(key)}\">{E(grouped)}</code></p>"
            + Form(context, "/account/two-factor/enable", Field("Code", "Code", "text", "one-time-code", autofocus: true), "Turn on"),
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, BackToThePanel);
    }
}
