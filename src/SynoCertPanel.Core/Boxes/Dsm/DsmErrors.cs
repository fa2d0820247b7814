using System.Globalization;

namespace SynoCertPanel.Core.Boxes.Dsm;

/// <summary>
/// DSM's error codes (its Web API answers <c>{"success":false,"error":{"code":N}}</c>) as the step that failed and a
/// sentence. Codes from Synology's "DSM Login Web API Guide" and the certificate API as acme.sh's deploy hook meets them.
/// </summary>
internal static class DsmErrors
{
    public static BoxProblem Login(int code, string account, bool usedDeviceToken) => code switch
    {
        400 => new(DeliveryFailure.Login, $"DSM refused the account {account} or its password (error 400); check both, and that the account is not locked out after failed attempts."),
        401 => new(DeliveryFailure.Login, $"DSM says the account {account} is disabled (error 401); enable it in Control Panel > User & Group."),
        402 => new(DeliveryFailure.Permission, $"DSM denies the account {account} permission to log in (error 402); allow it DSM access in Control Panel > User & Group."),
        403 when usedDeviceToken => new(DeliveryFailure.SecondFactor, $"DSM no longer accepts this panel's device token for {account} (error 403: it asks for a 2FA code). Give a current 2FA code (otp-code) and deploy again; DSM then gives a new device token."),
        403 => new(DeliveryFailure.SecondFactor, $"The account {account} has 2-step verification, so DSM wants a 2FA code (error 403). Give a current code from the authenticator app (otp-code) and test or deploy within its 30 seconds; DSM then gives this panel a device token and later deploys need no code."),
        404 => new(DeliveryFailure.SecondFactor, $"DSM refused the 2FA code for {account} (error 404); codes last 30 seconds and work once. Give a fresh code (otp-code) and try again at once."),
        406 => new(DeliveryFailure.SecondFactor, $"DSM requires the account {account} to set up 2-step verification first (error 406); do so in DSM, then give a code here."),
        407 => new(DeliveryFailure.Login, $"DSM has blocked the panel's IP address after failed logins (error 407); unblock it under Control Panel > Security > Protection."),
        408 or 409 or 410 => new(DeliveryFailure.Login, $"DSM says the password of {account} has expired or must be changed (error {code.ToString(CultureInfo.InvariantCulture)}); change it in DSM and give the new one here."),
        _ => Other(code, "the login"),
    };

    public static BoxProblem Certificate(int code, string account, string what, bool importing = false) => code switch
    {
        105 => new(DeliveryFailure.Permission, $"DSM says the account {account} may not change certificates (error 105): only members of the administrators group may. Add it to that group, or use an account that is."),
        106 or 107 or 119 => new(DeliveryFailure.Login, $"DSM ended the session during {what} (error {code.ToString(CultureInfo.InvariantCulture)}); try again, and check that no other login with this account logs it out."),
        _ when importing => new(DeliveryFailure.Write, $"DSM refused the certificate during {what} (error {code.ToString(CultureInfo.InvariantCulture)}); its log (Log Center) says why. The certificate it had is unchanged."),
        _ => Other(code, what),
    };

    private static BoxProblem Other(int code, string what) =>
        new(DeliveryFailure.Protocol, $"DSM answered {what} with error {code.ToString(CultureInfo.InvariantCulture)}, which this panel does not know; check DSM's log (Log Center) for the reason.");
}
