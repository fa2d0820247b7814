using Microsoft.AspNetCore.Http.Metadata;

namespace SynoCertPanel.Web.Protection;

/// <summary>Raises the request body limit for one endpoint above <see cref="ProtectionOptions.MaxRequestBodySize"/>.</summary>
public sealed record UploadSizeLimit(long MaxRequestBodySize) : IRequestSizeLimitMetadata
{
    long? IRequestSizeLimitMetadata.MaxRequestBodySize => MaxRequestBodySize;
}

public static class UploadSizeLimitExtensions
{
    /// <summary>For upload endpoints: accept bodies up to <paramref name="bytes"/> (routing applies it before the body is read).</summary>
    public static TBuilder AllowUploadsUpTo<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return builder.WithMetadata(new UploadSizeLimit(bytes));
    }
}
