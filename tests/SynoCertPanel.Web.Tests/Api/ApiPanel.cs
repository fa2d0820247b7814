using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>
/// The whole panel (<see cref="BrowserPanel"/>: real Kestrel on 127.0.0.1) with three certificates and their roots, and
/// an HTTP client that calls /api/v1 with a token made through the same service as `token create`.
/// </summary>
internal sealed class ApiPanel : IAsyncDisposable
{
    private readonly HttpClient _client;

    private ApiPanel(BrowserPanel panel)
    {
        Panel = panel;
        _client = new HttpClient(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        { BaseAddress = new Uri(panel.Address) };
    }

    public BrowserPanel Panel { get; }

    public PanelStorage Storage => Panel.Services.GetRequiredService<PanelStorage>();

    public static async Task<ApiPanel> StartAsync(string[]? settings = null) => new(await BrowserPanel.StartAsync(SeedAsync, settings: settings));

    public async Task<CreatedApiToken> CreateTokenAsync(string name, params string[] scopes)
    {
        var created = await new ApiTokenService(Storage, TimeProvider.System).CreateAsync(new ApiTokenRequest { Name = name, Scopes = scopes }, "web:admin");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token, string accept = "application/json") =>
        SendAsync(HttpMethod.Get, path, token is null ? null : "Bearer " + token, accept);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? authorization, string accept = "application/json",
        HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _client.SendAsync(request);
    }

    /// <summary>A problem document: its media type, its status and its detail sentence.</summary>
    public static async Task<string> ProblemDetailAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.GetProperty("detail").GetString()!;
    }

    /// <summary>Changes a token's row directly, as time passing or another process would.</summary>
    public async Task UpdateTokenAsync(int id, string assignments)
    {
        await using var connection = new SqliteConnection(new DataDirectory(Panel.DataDirectory).ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE ApiTokens SET {assignments} WHERE Id = $id";
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Panel.DisposeAsync();
    }

    private static async Task SeedAsync(PanelStorage storage)
    {
        foreach (var host in new[] { "alpha.home.arpa", "bravo.home.arpa", "charlie.home.arpa" })
        {
            var created = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
            {
                Root = new RootCaOptions { Subject = DistinguishedName.Create($"{host} Root CA").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
                Server = new LeafOptions
                {
                    Subject = DistinguishedName.Create(host).Value,
                    SubjectAlternativeNames = SanParser.ParseAll([host]).Value,
                    KeyAlgorithm = KeyAlgorithm.EcdsaP256,
                },
                Description = $"{host} web",
            }, "setup");
            Assert.True(created.IsSuccess, created.Error);
        }
    }
}
