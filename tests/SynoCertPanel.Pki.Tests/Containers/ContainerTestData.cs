using System.Diagnostics;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Containers;

/// <summary>A leaf issued by the shared test root, written out as the files openssl needs.</summary>
internal static class ContainerTestData
{
    private static readonly Lazy<IssuedCertificate> SharedLeaf = new(() => TestPki.IssueServer(TestPki.Root, "nas.home.arpa", "nas.home.arpa", "192.168.1.10"));

    public static IssuedCertificate Leaf => SharedLeaf.Value;

    public static string KeyPem(IssuedCertificate issued) => Pem.Encode(Pem.PrivateKeyLabel, issued.Key!.ExportPkcs8());

    public static (string Cert, string Key, string Chain) WritePemFiles(TempDirectory dir, IssuedCertificate issued) =>
        (dir.Write("cert.pem", issued.Certificate.ToPem()),
         dir.Write("key.pem", KeyPem(issued)),
         dir.Write("chain.pem", string.Concat(issued.Chain.Select(c => c.ToPem()))));

    /// <summary>Runs a reader on hostile input and checks it answered, quickly, with a message.</summary>
    public static Result<T> AnswersQuickly<T>(Func<Result<T>> read)
    {
        var watch = Stopwatch.StartNew();
        var result = read();
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.False(result.IsSuccess);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        return result;
    }
}
