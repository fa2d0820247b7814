namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// One setting a delivery method needs (a path, an account, a password). The page draws a field for each, the CLI
/// takes <c>--NAME value</c> (secrets only as <c>--NAME-file F</c>), and the API takes them by name: a new method adds a
/// class and its options, nothing else.
/// </summary>
/// <param name="Name">Stable name, lower-case with dashes (<c>cert-path</c>); the key in stored settings.</param>
/// <param name="Label">What the page shows beside the field.</param>
/// <param name="Help">One sentence under the field and in <c>--help</c>.</param>
/// <param name="Required">The box cannot be saved without it.</param>
/// <param name="Secret">Sealed with the key-encryption key, never shown again, never logged.</param>
/// <param name="Default">Used when the operator leaves it empty.</param>
/// <param name="Validate">Returns a sentence for a bad value, or null; called before anything is stored.</param>
public sealed record DeliveryOption(
    string Name,
    string Label,
    string Help,
    bool Required = false,
    bool Secret = false,
    string? Default = null,
    Func<string, string?>? Validate = null);
