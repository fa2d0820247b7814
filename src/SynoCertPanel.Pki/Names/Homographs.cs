using System.Text;

namespace SynoCertPanel.Pki.Names;

/// <summary>Detects labels that mix look-alike scripts, the classic way to forge a name that reads like another.</summary>
internal static class Homographs
{
    private enum Script
    {
        Other,
        Latin,
        Greek,
        Cyrillic,
    }

    /// <summary>
    /// A label that mixes Latin with Greek or Cyrillic letters (pаypal with a Cyrillic "а") is the classic
    /// homograph; browsers show such names as punycode. We refuse them outright.
    /// </summary>
    public static bool MixesScripts(string label)
    {
        var seen = Script.Other;
        foreach (var rune in label.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }

            var script = ScriptOf(rune.Value);
            if (script == Script.Other)
            {
                continue;
            }

            if (seen != Script.Other && seen != script)
            {
                return true;
            }

            seen = script;
        }

        return false;
    }

    private static Script ScriptOf(int codePoint) => codePoint switch
    {
        <= 0x024F or (>= 0x1E00 and <= 0x1EFF) or (>= 0x2C60 and <= 0x2C7F) or (>= 0xA720 and <= 0xA7FF)
            or (>= 0xFF21 and <= 0xFF5A) => Script.Latin,
        (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF) => Script.Greek,
        (>= 0x0400 and <= 0x052F) or (>= 0x2DE0 and <= 0x2DFF) or (>= 0xA640 and <= 0xA69F)
            or (>= 0x1C80 and <= 0x1C8F) => Script.Cyrillic,
        _ => Script.Other,
    };
}
