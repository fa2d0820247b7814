using System.Globalization;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Components.Tokens;

public enum TokenExpiryChoice
{
    Days30,
    Days90,
    Days365,
    Custom,
    Never,
}

/// <summary>The create dialog's expiry: a preset, a number of days typed in, or never; the range rule is the service's.</summary>
public static class TokenExpiry
{
    public static string Label(TokenExpiryChoice choice) => choice switch
    {
        TokenExpiryChoice.Days30 => "30 days",
        TokenExpiryChoice.Days90 => "90 days",
        TokenExpiryChoice.Days365 => "1 year (365 days)",
        TokenExpiryChoice.Custom => "Another number of days",
        _ => "Never",
    };

    /// <returns>The days to ask the service for (null: never), or the sentence to show beside the field.</returns>
    public static Result<int?> Days(TokenExpiryChoice choice, string? customDays)
    {
        int? days = choice switch
        {
            TokenExpiryChoice.Days30 => 30,
            TokenExpiryChoice.Days90 => 90,
            TokenExpiryChoice.Days365 => 365,
            _ => null,
        };
        if (choice == TokenExpiryChoice.Custom)
        {
            var text = (customDays ?? string.Empty).Trim();
            if (text.Length == 0)
            {
                return Result.Failure<int?>($"Type the number of days the token lasts (1 to {ApiTokenService.MaxExpiryDays}), or choose a preset.");
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var typed))
            {
                return Result.Failure<int?>($"\"{Display.Literal(text, 20)}\" is not a number of days: type a whole number from 1 to {ApiTokenService.MaxExpiryDays}.");
            }

            days = typed;
        }

        return ApiTokenService.CheckExpiry(days) is { } problem ? Result.Failure<int?>(problem) : Result.Success(days);
    }
}
