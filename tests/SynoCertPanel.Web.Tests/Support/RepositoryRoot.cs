namespace SynoCertPanel.Web.Tests.Support;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds SynoCertPanel.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(System.IO.Path.Combine(folder.FullName, "SynoCertPanel.sln")))
        {
            folder = folder.Parent ?? throw new InvalidOperationException($"No SynoCertPanel.sln above {AppContext.BaseDirectory}.");
        }

        return folder.FullName;
    });

    public static string Path => Found.Value;
}
