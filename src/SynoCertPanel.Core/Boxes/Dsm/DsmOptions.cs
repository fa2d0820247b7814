using System.Text.RegularExpressions;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Boxes.Dsm;

/// <summary>The settings of a Synology DSM box, their checks, and the values one call reads from a target.</summary>
internal static partial class DsmOptions
{
    public const string Account = "account";
    public const string Password = "password";
    public const string OtpCode = "otp-code";
    public const string DeviceId = "device-id";
    public const string DeviceName = "device-name";
    public const string Description = "description";
    public const string DefaultDeviceName = "SynoCertPanel";
    public const int MaxDescriptionLength = 128;

    public static IReadOnlyList<DeliveryOption> All { get; } =
    [
        BoxTls.UrlOptionFor("DSM address", "The DSM's HTTPS address and port, as in the browser: https://nas.home.arpa:5001.", "https://nas.home.arpa:5001"),
        new(Account, "DSM account", "An account in DSM's administrators group (DSM refuses certificate changes to others, error 105); a dedicated one is best.",
            Required: true, Validate: ValidateAccount),
        new(Password, "DSM password", "The account's password; sealed here, sent only to this DSM after its TLS certificate is trusted.",
            Required: true, Secret: true, Validate: ValidatePassword),
        new(OtpCode, "2FA code", "Only when the account has 2-step verification: a current code from the authenticator app, used once; DSM then gives this panel a device token and later deploys need no code.",
            Secret: true, Validate: ValidateOtpCode),
        new(DeviceId, "DSM device token", "Given by DSM after the first login with a 2FA code; kept here so later logins need no code.",
            Secret: true, Validate: ValidateDeviceId),
        new(DeviceName, "Device name", "The name DSM shows for this panel among the account's trusted devices.",
            Default: DefaultDeviceName, Validate: ValidateDeviceName),
        new(Description, "DSM certificate description", "The description of the certificate to replace in DSM's certificate list (replacing it keeps the services bound to it); empty means the delivered certificate's description.",
            Validate: ValidateDescription),
        .. BoxTls.TrustOptions,
    ];

    public static string? ValidateAccount(string value) =>
        value.Length <= 256 && !value.Any(char.IsControl)
            ? null
            : $"The DSM account \"{Display.Literal(value, 60)}\" is not a user name DSM has: at most 256 characters, no control characters.";

    /// <summary>Never repeats the value: it is a password.</summary>
    public static string? ValidatePassword(string value) =>
        value.Any(char.IsControl) ? "The DSM password holds a line break or another control character; DSM passwords cannot, so the file given probably holds more than the password." : null;

    public static string? ValidateOtpCode(string value) =>
        OtpPattern().IsMatch(value) ? null : "A 2FA code is the 6 to 8 digits the authenticator app shows.";

    public static string? ValidateDeviceId(string value) =>
        value.Length <= 1024 && value.All(c => c is > ' ' and < '\u007f') ? null : "The DSM device token is not one DSM gives (printable characters without spaces).";

    public static string? ValidateDeviceName(string value) =>
        DeviceNamePattern().IsMatch(value) ? null : $"The device name \"{Display.Literal(value, 60)}\" is not allowed: up to 64 letters, digits, spaces, dots, dashes or underscores.";

    public static string? ValidateDescription(string value) =>
        value.Length <= MaxDescriptionLength && !value.Any(char.IsControl)
            ? null
            : $"The DSM certificate description \"{Display.Literal(value, 60)}\" is not allowed: at most {MaxDescriptionLength} characters, no control characters.";

    [GeneratedRegex(@"^[0-9]{6,8}$", RegexOptions.CultureInvariant)]
    private static partial Regex OtpPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceNamePattern();
}

/// <summary>What one DSM call needs, read and checked from a target.</summary>
internal sealed record DsmSettings(Uri Url, string Account, string Password, string? OtpCode, string? DeviceId, string DeviceName, string? Description)
{
    public static Result<DsmSettings> From(DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var url = target.Setting(BoxTls.UrlOption);
        var account = target.Setting(DsmOptions.Account);
        var password = target.SecretValue(DsmOptions.Password);
        if (url is null || account is null || password is null)
        {
            return Result.Failure<DsmSettings>($"The box {target.BoxName} needs the DSM address, account and password before the panel can log in to it.");
        }

        var problem = BoxTls.ValidateUrl(url, "https://nas.home.arpa:5001") ?? DsmOptions.ValidateAccount(account) ?? DsmOptions.ValidatePassword(password);
        var otp = target.SecretValue(DsmOptions.OtpCode);
        var device = target.SecretValue(DsmOptions.DeviceId);
        var deviceName = target.Setting(DsmOptions.DeviceName) ?? DsmOptions.DefaultDeviceName;
        var description = target.Setting(DsmOptions.Description);
        problem ??= (otp is null ? null : DsmOptions.ValidateOtpCode(otp))
            ?? (device is null ? null : DsmOptions.ValidateDeviceId(device))
            ?? DsmOptions.ValidateDeviceName(deviceName)
            ?? (description is null ? null : DsmOptions.ValidateDescription(description));
        return problem is null
            ? Result.Success(new DsmSettings(new Uri(url.Trim()), account, password, otp, device, deviceName, description))
            : Result.Failure<DsmSettings>(problem);
    }
}
