using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Services;

/// <summary>What kind of thing serves a certificate. Stored nowhere, so a kind can be added (and placed) freely.</summary>
public enum ServiceKind
{
    /// <summary>The panel's own HTTPS listener: it serves the default certificate.</summary>
    Listener,

    /// <summary>A box of the lab, with the endpoints the panel watches on it.</summary>
    Box,
}

/// <summary>
/// A service's name on the command line and in the API: <c>listener</c>, or <c>box:NAME</c> (a box's name or id, as
/// `box show` takes it).
/// </summary>
public sealed record ServiceKey(ServiceKind Kind, string? Box)
{
    public const string ListenerName = "listener";
    public const string BoxPrefix = "box:";

    /// <summary>Longer than any box name with its prefix: a script's garbage is refused without being echoed whole.</summary>
    public const int MaxLength = 4 + BoxRules.MaxNameLength;

    public static ServiceKey Listener { get; } = new(ServiceKind.Listener, null);

    public static ServiceKey ForBox(string nameOrId) => new(ServiceKind.Box, nameOrId);

    public static Result<ServiceKey> Parse(string? text)
    {
        var value = (text ?? string.Empty).Trim();
        if (string.Equals(value, ListenerName, StringComparison.OrdinalIgnoreCase))
        {
            return Result.Success(Listener);
        }

        // A box name never holds a control character (BoxRules.Name), so one here is garbage, not a name to look up.
        if (value.StartsWith(BoxPrefix, StringComparison.OrdinalIgnoreCase) && value.Length > BoxPrefix.Length && value.Length <= MaxLength
            && !value.Any(char.IsControl))
        {
            return Result.Success(ForBox(value[BoxPrefix.Length..].Trim()));
        }

        return Result.Failure<ServiceKey>(
            $"There is no service \"{Display.Literal(value, MaxLength)}\"; name one as `listener` or `box:NAME` (`service list` shows them).");
    }

    public override string ToString() => Kind == ServiceKind.Listener ? ListenerName : BoxPrefix + Box;
}
