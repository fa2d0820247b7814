using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>One event of the audit log, as the audit page shows it.</summary>
/// <param name="Id">The event's id; ids grow with time.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who: an account (<c>web:NAME</c>), the command line, or a token (<c>token:NAME</c>).</param>
/// <param name="Action">What, as a stable name such as <c>certificate.renew</c>.</param>
/// <param name="CertificateId">The certificate it is about, if one.</param>
/// <param name="Target">What it was done to, as the page shows it.</param>
/// <param name="Outcome"><c>Succeeded</c>, <c>Refused</c> (with the reason in <c>detail</c>) or <c>Failed</c>.</param>
/// <param name="Detail">More about it: the reason for a refusal, the names issued, the certificate replaced.</param>
public sealed record AuditEventItem(long Id, DateTimeOffset At, string Actor, string Action, int? CertificateId, string Target, string Outcome, string Detail)
{
    internal static AuditEventItem From(AuditEventRecord e) => new(e.Id, e.At, e.Actor, e.Action, e.CertificateId, e.Target, e.Outcome.ToString(), e.Detail);
}

/// <summary>A part of the audit log, newest first, and where it sits in the whole.</summary>
/// <param name="Items">The events of this part, newest first.</param>
/// <param name="Total">How many events match in all.</param>
/// <param name="Offset">How many events of the whole come before this part.</param>
/// <param name="Limit">The most events this part could hold.</param>
public sealed record AuditEventList(IReadOnlyList<AuditEventItem> Items, int Total, int Offset, int Limit);

/// <summary><c>GET /api/v1/audit</c>: the audit log with the audit page's filter and paging, through <see cref="AuditLogReader"/>.</summary>
internal static class AuditEndpoints
{
    public const string Tag = "Audit log";

    public const int DefaultLimit = 50;

    /// <summary>The audit page's largest page is 100; a script may take more at once, as many as the certificate list gives.</summary>
    public const int MaxLimit = 500;

    private static readonly string[] Known = ["certificate", "offset", "limit"];

    private static readonly AuditEventList Example = new(
        [new(42, new DateTimeOffset(2026, 12, 6, 9, 30, 0, TimeSpan.Zero), "token:deployer", AuditActions.Renew, 12, "NAS web", "Succeeded", "renews certificate 7")],
        Total: 1, Offset: 0, Limit: DefaultLimit);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/audit", ReadAsync).WithTags(Tag).RequireScope(ApiScopes.AuditRead)
            .WithName("ReadAuditLog")
            .WithSummary("Read the audit log")
            .WithDescription("Every change and refusal, newest first, as on the audit page: optionally about one certificate, a part at a time with the total.")
            .AddOpenApiOperationTransformer(ApiDescriptions.Query(
                ("certificate", "Only the events about this certificate id (the page's filter).", ApiDescriptions.Number(1, null, null), 7),
                ("offset", "How many events of the whole to skip.", ApiDescriptions.Number(0, null, 0), null),
                ("limit", "How many events to return at most.", ApiDescriptions.Number(1, MaxLimit, DefaultLimit), 100)))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithExample(StatusCodes.Status200OK, Example)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "\"limit\" must be a whole number from 1 to 500; \"all\" was given."));

    private static async Task<Results<Ok<AuditEventList>, ProblemHttpResult>> ReadAsync(HttpRequest request, PanelStorage storage,
        CancellationToken cancellationToken)
    {
        var query = request.Query;
        var certificate = ApiQuery.Number(query, "certificate", 0, 1, int.MaxValue);
        var offset = ApiQuery.Number(query, "offset", 0, 0, int.MaxValue);
        var limit = ApiQuery.Number(query, "limit", DefaultLimit, 1, MaxLimit);
        if ((ApiQuery.Problem(query, Known, "the audit log") ?? certificate.Error ?? offset.Error ?? limit.Error) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }

        var page = await new AuditLogReader(storage).ReadAsync(certificate.Value == 0 ? null : certificate.Value, offset.Value, limit.Value, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AuditEventList(page.Items.Select(AuditEventItem.From).ToList(), page.TotalCount, offset.Value, limit.Value));
    }
}
