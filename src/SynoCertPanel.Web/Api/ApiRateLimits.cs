using System.Globalization;
using System.Threading.RateLimiting;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// Each token gets its own budget of calls per minute, so one runaway script slows itself and nothing else. Set with
/// <c>SynoCertPanel:Api:RequestsPerMinute</c>; a refused call is a 429 problem with Retry-After.
/// </summary>
internal static class ApiRateLimits
{
    public const string Policy = "api-token";

    public const string RequestsPerMinuteSetting = "SynoCertPanel:Api:RequestsPerMinute";

    /// <summary>Five a second on average: far above what a deploy script or a dashboard needs, far below what would load a NAS.</summary>
    public const int DefaultRequestsPerMinute = 300;

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = int.TryParse(configuration[RequestsPerMinuteSetting], NumberStyles.None, CultureInfo.InvariantCulture, out var given) && given > 0
            ? given
            : DefaultRequestsPerMinute;
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Policy, context =>
                context.User.FindFirst(ApiTokenDefaults.TokenIdClaim)?.Value is { } tokenId
                    ? RateLimitPartition.GetFixedWindowLimiter(tokenId, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = perMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    // Only authenticated calls reach the limiter (it runs after authorization); nothing to count otherwise.
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    string.Create(CultureInfo.InvariantCulture, $"This token made more than {perMinute} calls in a minute; try again in {retry} s.")).ConfigureAwait(false);
            };
        });
    }
}
