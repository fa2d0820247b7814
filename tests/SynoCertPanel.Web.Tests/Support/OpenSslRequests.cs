using SynoCertPanel.Core.Tests;

namespace SynoCertPanel.Web.Tests.Support;

/// <summary>Certificate signing requests made by the system openssl, as another box would make them.</summary>
public static class OpenSslRequests
{
    /// <summary>A P-256 request; returns the PEM text, and leaves the key beside it in <paramref name="directory"/>.</summary>
    public static string Create(string directory, string subject, params string[] extensions)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".csr");
        var arguments = new List<string> { "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", path + ".key", "-out", path, "-utf8", "-subj", subject };
        arguments.AddRange(extensions.SelectMany(e => new[] { "-addext", e }));
        var (exitCode, output) = OpenSslHierarchy.Run("openssl", [.. arguments]);
        Assert.True(exitCode == 0, output);
        return File.ReadAllText(path);
    }
}
