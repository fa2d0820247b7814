using System.Text;
using System.Text.Encodings.Web;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// A shell command for the public pages, laid out so a narrow screen breaks it only between words: a browser may
/// break a line after any hyphen, which turns <c>update-ca-certificates</c> into "update-ca-" / "certificates" on a
/// phone, and a person copying it by eye types two words. Each word up to <see cref="LongWord"/> characters is kept on
/// one line; longer ones (URLs, paths, fingerprints) cannot fit a phone's line anyway and may break anywhere, marked
/// monospaced as fingerprints are. Copying the text gives the command unchanged: only spans are added.
/// </summary>
public static class CommandHtml
{
    /// <summary>About half a phone's line of monospaced text at 390 px.</summary>
    public const int LongWord = 24;

    /// <summary>The command as a <c>&lt;code&gt;</c> element, every part HTML-encoded.</summary>
    public static string Code(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var html = new StringBuilder("<code class=\"panel-shell\">");
        var words = command.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            html.Append(i == 0 ? string.Empty : " ");
            if (words[i].Length == 0)
            {
                continue;
            }

            html.Append(words[i].Length <= LongWord ? "<span class=\"panel-nobr\">" : "<span class=\"panel-mono\">")
                .Append(HtmlEncoder.Default.Encode(words[i])).Append("</span>");
        }

        return html.Append("</code>").ToString();
    }
}
