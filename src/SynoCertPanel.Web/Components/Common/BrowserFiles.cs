using Microsoft.JSInterop;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Components.Common;

/// <summary>
/// Hands a file the server produced to the browser's "save" (panel.js), streamed over the circuit. Every page and
/// wizard downloads through here, so the file name and type always come from the service that made the file.
/// </summary>
public sealed class BrowserFiles(IJSRuntime js)
{
    public const string SaveFunction = "synoCertPanel.saveFile";

    public async Task SaveAsync(ExportedFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var content = new MemoryStream(file.Content, writable: false);
        using var reference = new DotNetStreamReference(content, leaveOpen: false);
        await js.InvokeVoidAsync(SaveFunction, cancellationToken, file.FileName, file.ContentType, reference).ConfigureAwait(false);
    }
}
