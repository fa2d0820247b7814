using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Services;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>/api/v1/services</c>: which certificate each service uses, as the Services page and `service list` show it, through
/// <see cref="ServiceMap"/>. Reading only: a change goes through the operations that exist.
/// </summary>
internal static class ServiceEndpoints
{
    public const string Tag = "Services";

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/services", ListAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListServices")
            .WithSummary("List services and the certificate each uses")
            .WithDescription("""
                The panel's HTTPS listener (`listener`: the default certificate) and each box (`box:NAME`: the certificate of its
                last successful deploy), with what each watched endpoint served at its last probe, matched to a certificate held
                here by its SHA-256 when it is one (`servesAnother` when it is not the one the service uses). `setRefusal` says why
                the panel cannot change a service (a watch-only box).

                Changing one stays on the existing calls, with their checks: `POST /api/v1/certificates/{id}/default` for the
                listener, `POST /api/v1/boxes/{box}/deploy` with `certificateId` for a box.
                """)
            .WithExample(StatusCodes.Status200OK, ServiceExamples.List);

    private static async Task<Ok<ServiceList>> ListAsync(ServiceMap services, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ServiceList([.. (await services.ListAsync(cancellationToken).ConfigureAwait(false)).Select(ServiceItem.From)]));
}
