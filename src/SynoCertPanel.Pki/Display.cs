using System.Globalization;
using System.Text;

namespace SynoCertPanel.Pki;

/// <summary>Renders untrusted text safely inside a message: control characters escaped, length capped.</summary>
public static class Display
{
    public static string Literal(string text, int maxLength = 80)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
