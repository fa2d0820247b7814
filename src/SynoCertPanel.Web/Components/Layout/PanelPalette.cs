using MudBlazor;

namespace SynoCertPanel.Web.Components.Layout;

/// <summary>
/// MudBlazor's palettes with the colours that fail WCAG AA contrast (4.5:1 for body text) replaced. Light: darker
/// status colours, so white text on a chip and coloured text on white both pass. Dark: lighter colours with dark
/// text on them, as Material's dark theme does, because one colour cannot be both readable on a dark surface and
/// a background for white text. Checked by AccessibilityTests (axe-core) in both themes.
/// </summary>
internal static class PanelPalette
{
    private const string DarkText = "#1a1a1a";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#8a5300",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a39cf4",
            PrimaryContrastText = DarkText,
            Success = "#81c784",
            SuccessContrastText = DarkText,
            Info = "#90caf9",
            InfoContrastText = DarkText,
            Warning = "#ffb74d",
            WarningContrastText = DarkText,
            Error = "#ff8a80",
            ErrorContrastText = DarkText,
            // Field labels and captions: MudBlazor's 50 % white is 4.2:1 on the dark surface.
            TextSecondary = "rgba(255,255,255,0.70)",
        },
    };
}
