using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Chains;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// Reads the body of <c>POST /api/v1/certificates/import</c> into the <see cref="ImportRequest"/> that the wizard and
/// `cert import` give <see cref="ImportService"/>: multipart/form-data with the files a person would pick, or JSON with
/// PEM text and base64. The body is read by hand, part by part, so that nothing past the caps is kept in memory and
/// every way the body can be wrong is a problem document saying which.
/// </summary>
internal static class ImportUploadReader
{
    /// <summary>Three files at the wizard's limit and the text fields, in either form; a real upload is a few KiB.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The wizard's limit for one file (the engine reads nothing larger).</summary>
    public const int MaxFileBytes = ImportService.MaxFileBytes;

    /// <summary>RFC 2046, section 5.1.1: a boundary is 1 to 70 characters.</summary>
    private const int MaxBoundaryLength = 70;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const string UnsupportedType = "Send the files as multipart/form-data, or as PEM text and base64 in application/json.";

    public static async Task<(ImportRequest? Request, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return Refuse(UnsupportedMediaType());
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return Refuse(ApiJsonBody.TooLarge(MaxBodyBytes));
        }

        try
        {
            var parts = type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                ? await ReadMultipartAsync(request, type, cancellationToken).ConfigureAwait(false)
                : type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                    ? await ReadJsonAsync(request, cancellationToken).ConfigureAwait(false)
                    : (null, UnsupportedMediaType());
            if (parts.Problem is not null)
            {
                return Refuse(parts.Problem);
            }

            var built = parts.Parts!.ToRequest();
            return built.IsSuccess ? (built.Value, null) : Refuse(ApiProblems.BadRequest(built.Error!));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own limit for this endpoint (set to the same cap) stopped a body without a Content-Length.
            return Refuse(ApiJsonBody.TooLarge(MaxBodyBytes));
        }
    }

    public static ProblemHttpResult UnsupportedMediaType() =>
        ApiProblems.Result(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", UnsupportedType);

    /// <summary>The wizard's sentence for a file over its limit.</summary>
    public static ProblemHttpResult FileTooLarge(string name, long bytes) => ApiProblems.Result(StatusCodes.Status413PayloadTooLarge, "Payload too large",
        string.Create(CultureInfo.InvariantCulture,
            $"\"{Display.Literal(name, 40)}\" is {bytes / 1024} KiB; certificate files are far smaller (at most {MaxFileBytes / 1024} KiB accepted)."));

    private static (ImportRequest?, ProblemHttpResult?) Refuse(ProblemHttpResult problem) => (null, problem);

    private static async Task<(ImportUploadParts? Parts, ProblemHttpResult? Problem)> ReadMultipartAsync(HttpRequest request, MediaTypeHeaderValue type,
        CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > MaxBoundaryLength)
        {
            return (null, ApiProblems.BadRequest("The multipart body needs a boundary of 1 to 70 characters in its Content-Type (RFC 2046)."));
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 8, HeadersLengthLimit = 4096 };
        var parts = new ImportUploadParts();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                // form-data with or without a file name (IsFormDisposition would mean without one only).
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    return (null, ApiProblems.BadRequest("Each part needs a \"Content-Disposition: form-data; name=…\" header."));
                }

                if (!ImportUploadParts.Names.Contains(name, StringComparer.Ordinal))
                {
                    return (null, ApiProblems.BadRequest(
                        $"There is no part \"{Display.Literal(name, 40)}\"; the import takes {string.Join(", ", ImportUploadParts.Names)}."));
                }

                if (!seen.Add(name))
                {
                    return (null, ApiProblems.BadRequest($"\"{name}\" is given more than once."));
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star ? star
                    : HeaderUtilities.RemoveQuotes(disposition.FileName).Value is { Length: > 0 } plain ? plain : name;
                var (data, size) = await ReadPartAsync(section.Body, cancellationToken).ConfigureAwait(false);
                if (data is null)
                {
                    return (null, FileTooLarge(fileName, size));
                }

                var problem = Assign(parts, name, fileName, data);
                if (problem is not null)
                {
                    return (null, problem);
                }
            }
        }
        catch (InvalidDataException e)
        {
            // The reader's limits on part headers ("Multipart headers count limit 8 exceeded.").
            return (null, ApiProblems.BadRequest($"The multipart body is malformed: {Display.Literal(e.Message, 200)}"));
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            return (null, ApiProblems.BadRequest("The multipart body is cut short or malformed: it must end with its closing boundary."));
        }

        return (parts, null);
    }

    /// <summary>A part's bytes up to the file limit; past it only counted, so the refusal can say how large the file was.</summary>
    private static async Task<(byte[]? Data, long Size)> ReadPartAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        long size = 0;
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            size += read;
            if (size <= MaxFileBytes)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return (size <= MaxFileBytes ? buffer.ToArray() : null, size);
    }

    private static ProblemHttpResult? Assign(ImportUploadParts parts, string name, string fileName, byte[] data)
    {
        if (name is ImportUploadParts.PasswordName or ImportUploadParts.DescriptionName)
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(data);
            }
            catch (DecoderFallbackException)
            {
                return ApiProblems.BadRequest($"\"{name}\" is not UTF-8 text.");
            }

            if (name == ImportUploadParts.PasswordName)
            {
                parts.Password = text;
            }
            else
            {
                parts.Description = text;
            }

            return null;
        }

        // An empty part is a file field left empty, as browsers send it.
        if (data.Length > 0)
        {
            parts.SetFile(name, new BundleFile(fileName, data));
        }

        return null;
    }

    private static async Task<(ImportUploadParts? Parts, ProblemHttpResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadAsync<ImportCertificateBody>(request, cancellationToken, MaxBodyBytes).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }

        var parts = new ImportUploadParts { Password = body!.Password, Description = body.Description };
        var files = new (string Name, string? Text, string? Base64)[]
        {
            (ImportUploadParts.CertificateName, body.Certificate, body.CertificateBase64),
            (ImportUploadParts.KeyName, body.Key, body.KeyBase64),
            (ImportUploadParts.ChainName, body.Chain, body.ChainBase64),
            (ImportUploadParts.BundleName, body.Bundle, body.BundleBase64),
        };
        foreach (var (name, text, base64) in files)
        {
            var file = JsonFile(name, text, base64);
            if (file.Problem is not null)
            {
                return (null, file.Problem);
            }

            if (file.Data is not null)
            {
                parts.SetFile(name, new BundleFile(name, file.Data));
            }
        }

        return (parts, null);
    }

    private static (byte[]? Data, ProblemHttpResult? Problem) JsonFile(string name, string? text, string? base64)
    {
        if (!string.IsNullOrEmpty(text) && !string.IsNullOrEmpty(base64))
        {
            return (null, ApiProblems.BadRequest($"Give \"{name}\" as PEM text or as \"{name}Base64\", not both."));
        }

        byte[] data;
        if (!string.IsNullOrEmpty(text))
        {
            data = Encoding.UTF8.GetBytes(text);
        }
        else if (!string.IsNullOrEmpty(base64))
        {
            // Base64 is 4 characters for 3 bytes: a text this long decodes to more than a file may hold.
            if (base64.Length / 4L * 3 > MaxFileBytes + 3)
            {
                return (null, FileTooLarge(name, base64.Length / 4L * 3));
            }

            try
            {
                data = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                return (null, ApiProblems.BadRequest($"\"{name}Base64\" is not base64: send the file's bytes base64-encoded (RFC 4648, section 4)."));
            }
        }
        else
        {
            return (null, null);
        }

        return data.Length > MaxFileBytes ? (null, FileTooLarge(name, data.Length)) : (data, null);
    }
}
