using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Tests;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>What the import and export tests share: request bodies, the rows an import may add, and the system openssl.</summary>
internal static class TransferApi
{
    public const string Import = "/api/v1/certificates/import";

    public static string Export(int id, string format) => $"/api/v1/certificates/{id}/export/{format}";

    public static MultipartFormDataContent Multipart(params (string Name, byte[] Data, string? FileName)[] parts)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, data, fileName) in parts)
        {
            if (fileName is null)
            {
                content.Add(new ByteArrayContent(data), name);
            }
            else
            {
                content.Add(new ByteArrayContent(data), name, fileName);
            }
        }

        return content;
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    /// <summary>The rows an import writes (audit events aside): none may appear when it is refused.</summary>
    public static async Task<(int Certificates, int Keys, int Requests, int Authorities)> CountRowsAsync(ApiPanel api)
    {
        await using var db = api.Storage.CreateContext();
        return (await db.Certificates.CountAsync(), await db.PrivateKeys.CountAsync(), await db.PendingRequests.CountAsync(), await db.Authorities.CountAsync());
    }

    public static string Openssl(params string[] arguments)
    {
        var (exitCode, output) = OpenSslHierarchy.Run("openssl", arguments);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', arguments)}: {output}");
        return output;
    }

    /// <summary>The SHA-256 fingerprint as openssl prints it, in the panel's spelling (upper-case hex without colons).</summary>
    public static string Fingerprint(string certificateFile, string inform = "PEM") =>
        Openssl("x509", "-in", certificateFile, "-inform", inform, "-noout", "-fingerprint", "-sha256").Split('=', 2)[1].Trim().Replace(":", string.Empty, StringComparison.Ordinal);

    /// <summary>
    /// Sends over HTTP/2, where a server may answer before it has read the whole body and the client stops sending: an
    /// HTTP/1.1 client still writing a refused body would see the connection closed instead of the answer.
    /// </summary>
    public static async Task<HttpResponseMessage> SendHttp2Async(ApiPanel api, HttpMethod method, string path, string token, HttpContent content)
    {
        using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            BaseAddress = new Uri(api.Panel.Address),
        };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<byte[]> FileAsync(HttpResponseMessage response, string mediaType)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return body;
    }

    /// <summary>A body without a Content-Length, sent in chunks as a script piping a file would.</summary>
    public sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _data;

        public ChunkedContent(byte[] data, string mediaType)
        {
            _data = data;
            Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _data.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(_data.AsMemory(offset, Math.Min(64 * 1024, _data.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
