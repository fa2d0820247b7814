using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Tests.Support;

/// <summary>
/// Finds C# field names shown to people: Razor passes `Error="_signError"` to a string parameter as the literal text
/// "_signError" when the `@` is missing, so the page shows the name (and an audit row records the user "_actor").
/// </summary>
public static partial class LeakedIdentifiers
{
    /// <summary>
    /// Runs in every page a browser test watches: each text node and the title/aria-label/placeholder attributes,
    /// as they appear, are searched, and a hit is reported as a console error (which the tests collect).
    /// </summary>
    public const string PageScript = """
        (() => {
          const pattern = /(^|[\s"'(:])(_[a-z][A-Za-z0-9]*)(?![\w.\-])/;
          const attributes = ['title', 'aria-label', 'placeholder', 'value'];
          const reported = new Set();
          const report = (text, where) => {
            const match = pattern.exec(text || '');
            if (match && !reported.has(match[2] + where)) {
              reported.add(match[2] + where);
              console.error('A field name is shown in the page instead of a value: "' + match[2] + '" in ' + where);
            }
          };
          const scan = node => {
            if (node.nodeType === Node.TEXT_NODE) {
              const parent = node.parentElement;
              if (parent && parent.closest('script, style')) return;
              report(node.nodeValue, '<' + (parent ? parent.tagName.toLowerCase() : '?') + '>');
            } else if (node.nodeType === Node.ELEMENT_NODE) {
              for (const name of attributes) {
                if (node.hasAttribute(name)) report(node.getAttribute(name), name + ' of <' + node.tagName.toLowerCase() + '>');
              }
              for (const child of node.childNodes) scan(child);
            }
          };
          const start = () => {
            scan(document.documentElement);
            new MutationObserver(changes => {
              for (const change of changes) {
                if (change.type === 'characterData') scan(change.target);
                else if (change.type === 'attributes') scan(change.target);
                else change.addedNodes.forEach(scan);
              }
            }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: attributes });
          };
          if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
        })();
        """;

    /// <summary>True when the text holds a word shaped like a private field name (`_actor`), not a file name (`E2E_Root`).</summary>
    public static bool Contains(string? text) => text is not null && FieldName().IsMatch(text);

    [GeneratedRegex(@"(^|[\s""'(:])_[a-z][A-Za-z0-9]*(?![\w.\-])")]
    private static partial Regex FieldName();
}
