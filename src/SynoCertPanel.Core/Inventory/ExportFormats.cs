using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Inventory;

public enum ExportFormat
{
    /// <summary>archive.zip in DSM's self-signed layout: cert.pem, privkey.pem, syno-ca-cert.pem (and syno-ca-privkey.pem when asked).</summary>
    SynologyZip,
    Pem,

    /// <summary>The private key as PKCS#8 PEM, encrypted when a password is given.</summary>
    Key,
    FullChain,

    /// <summary>The issuers only, nearest first (an appliance's "intermediate certificate" field).</summary>
    Chain,
    Der,
    Pfx,
    PfxLegacy,
    P7b,
}

public enum RequestExportFormat
{
    /// <summary>DSM's CSR layout: server.csr and server.key.</summary>
    Zip,

    /// <summary>The CSR alone, as PEM.</summary>
    Pem,
}

/// <summary>A file ready to download or write: a safe name, its content type, its bytes.</summary>
public sealed record ExportedFile(string FileName, string ContentType, byte[] Content, bool ContainsKey);

/// <summary>Names of the export formats as the command line and URLs spell them.</summary>
public static class ExportFormats
{
    private static readonly Dictionary<string, ExportFormat> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["synology-zip"] = ExportFormat.SynologyZip,
        ["pem"] = ExportFormat.Pem,
        ["key"] = ExportFormat.Key,
        ["fullchain"] = ExportFormat.FullChain,
        ["chain"] = ExportFormat.Chain,
        ["der"] = ExportFormat.Der,
        ["pfx"] = ExportFormat.Pfx,
        ["pfx-legacy"] = ExportFormat.PfxLegacy,
        ["p7b"] = ExportFormat.P7b,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static Result<ExportFormat> Parse(string? name) =>
        name is not null && ByName.TryGetValue(name.Trim(), out var format)
            ? Result.Success(format)
            : Result.Failure<ExportFormat>($"Unknown export format \"{Display.Literal(name ?? string.Empty, 40)}\"; use one of {string.Join(", ", ByName.Keys)}.");

    public static string NameOf(ExportFormat format) => ByName.First(p => p.Value == format).Key;

    public static bool ContainsKey(ExportFormat format) => format is ExportFormat.Key or ExportFormat.Pfx or ExportFormat.PfxLegacy or ExportFormat.SynologyZip;

    /// <summary>The file name suffix and media type of a format, as downloads and the API name them.</summary>
    public static (string Suffix, string ContentType) FileOf(ExportFormat format) => format switch
    {
        ExportFormat.SynologyZip => (".zip", "application/zip"),
        ExportFormat.Pem => (".pem", "application/x-pem-file"),
        ExportFormat.Key => (".key", "application/x-pem-file"),
        ExportFormat.FullChain => ("-fullchain.pem", "application/x-pem-file"),
        ExportFormat.Chain => ("-chain.pem", "application/x-pem-file"),
        ExportFormat.Der => (".cer", "application/pkix-cert"),
        ExportFormat.Pfx => (".pfx", "application/x-pkcs12"),
        ExportFormat.PfxLegacy => ("-legacy.pfx", "application/x-pkcs12"),
        ExportFormat.P7b => (".p7b", "application/x-pkcs7-certificates"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
