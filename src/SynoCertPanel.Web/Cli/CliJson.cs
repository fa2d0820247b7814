using System.Text.Encodings.Web;
using System.Text.Json;

namespace SynoCertPanel.Web.Cli;

/// <summary>The one JSON object a command prints with --json: camelCase, one line, so scripts can pipe it to jq.</summary>
internal static class CliJson
{
    // Relaxed escaping: the output goes to a terminal or a script, never into HTML, so "'" stays readable.
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);
}
