using System.Net;
using System.Text.Json.Nodes;
using SynoCertPanel.Web.Api;
using SynoCertPanel.Web.Tests.Support;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>The OpenAPI document as an independent validator (Redocly CLI) judges it.</summary>
public sealed class OpenApiLintTests : IAsyncLifetime
{
    private ApiPanel _api = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _folder = Directory.CreateTempSubdirectory("synocert-openapi-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Document_PassesRedoclyLint_WithoutErrorsOrWarnings()
    {
        var file = await SaveAsync(await DocumentTextAsync());

        var lint = await RedoclyCli.LintAsync(file);

        var findings = lint.Output + lint.Error;
        Assert.True(lint.ExitCode == 0, findings);
        Assert.Contains("Your API description is valid", findings, StringComparison.Ordinal);
        // A finding reads "LINE:COLUMN  warning  RULE  message"; Node's own deprecation notice is not one.
        Assert.DoesNotMatch(@"\d+:\d+\s+(warning|error)\s", findings);
    }

    [Fact]
    public async Task BrokenDocument_FailsRedoclyLint_NamingTheMistake()
    {
        var document = JsonNode.Parse(await DocumentTextAsync())!;
        document["paths"]!["/api/v1/certificates"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"] =
            new JsonObject { ["$ref"] = "#/components/schemas/NoSuchSchema" };
        var file = await SaveAsync(document.ToJsonString());

        var lint = await RedoclyCli.LintAsync(file);

        var findings = lint.Output + lint.Error;
        Assert.True(lint.ExitCode != 0, findings);
        Assert.Contains("no-unresolved-refs", findings, StringComparison.Ordinal);
    }

    private async Task<string> DocumentTextAsync()
    {
        var response = await _api.GetAsync(ApiDocument.Path, token: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<string> SaveAsync(string text)
    {
        var file = Path.Combine(_folder, "openapi.json");
        await File.WriteAllTextAsync(file, text);
        return file;
    }
}
