namespace SynoCertPanel.Web.Protection;

/// <summary>Response headers and request limits applied to every request.</summary>
public sealed record ProtectionOptions
{
    /// <summary>Forms and API calls are small; uploads opt in to more with <c>AllowUploadsUpTo</c>.</summary>
    public const long DefaultMaxRequestBodySize = 1024 * 1024;

    /// <summary>
    /// Off unless SYNOCERT_HSTS=1: a browser that has seen HSTS refuses the panel over HTTP for a year, which
    /// locks the admin out after a certificate mistake on a name shared with other devices.
    /// </summary>
    public bool Hsts { get; init; }

    public long MaxRequestBodySize { get; init; } = DefaultMaxRequestBodySize;

    public static ProtectionOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new ProtectionOptions { Hsts = configuration["SYNOCERT_HSTS"] is "1" or "true" };
    }
}
