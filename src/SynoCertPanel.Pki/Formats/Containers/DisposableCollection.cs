using System.Security.Cryptography.X509Certificates;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>Owns the certificates (and their key handles) a loader returned, and disposes them all.</summary>
internal sealed class DisposableCollection(X509Certificate2Collection items) : IDisposable
{
    public X509Certificate2Collection Items { get; } = items;

    public void Dispose() => Items.DisposeAll();
}

internal static class X509Certificate2CollectionExtensions
{
    public static void DisposeAll(this X509Certificate2Collection collection)
    {
        foreach (var certificate in collection)
        {
            certificate.Dispose();
        }
    }
}
