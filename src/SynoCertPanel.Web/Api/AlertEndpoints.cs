using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>/api/v1/alerts</c>: the alert channels and the history, as the Alerts page and `alert …` handle them, through
/// <see cref="AlertService"/>. Reading needs <c>certificates:read</c>; adding, editing, deleting and sending a test need
/// <c>boxes:deploy</c>, the scope of the boxes they are about. Secrets go in, never out.
/// </summary>
internal static class AlertEndpoints
{
    public const string Tag = "Alerts";

    private const string Path = "/alerts";

    private const int DefaultLimit = 50;

    private static readonly string[] Known = ["limit"];

    private static readonly Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> ChannelParameter =
        ApiDescriptions.PathParameter("channel", "The channel's id or name (case-insensitive), as in the list.", "phone");

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet(Path, ListAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListAlertChannels")
            .WithSummary("List alert channels")
            .WithDescription("Every channel with its settings (never a secret: only which are set), when it last delivered a message and its latest error.")
            .WithExample(StatusCodes.Status200OK, AlertExamples.List);
        api.MapPost(Path, CreateAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("CreateAlertChannel")
            .WithSummary("Add an alert channel")
            .WithDescription("""
                Adds a channel (ntfy, gotify, webhook, email) with the checks of the Alerts page; `secrets` are sealed here and never
                returned. In the audit log as `token:NAME`.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<CreateAlertChannelBody>(AlertExamples.Create))
            .Produces<AlertChannelItem>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, AlertExamples.Item)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The ntfy topic \"lab alerts!\" is not allowed: use 1 to 64 letters, digits, dashes or underscores."));
        api.MapGet(Path + "/history", HistoryAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListAlertHistory")
            .WithSummary("The alert history")
            .WithDescription("The messages sent and failed, newest first: channel, event, subject, and why one did not arrive.")
            .AddOpenApiOperationTransformer(ApiDescriptions.Query(
                ("limit", "How many messages to return at most.", ApiDescriptions.Number(1, AlertService.MaxHistory, DefaultLimit), 20)))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithExample(StatusCodes.Status200OK, AlertExamples.History)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "\"limit\" must be a whole number from 1 to 1000; \"all\" was given."));
        api.MapPatch(Path + "/{channel}", UpdateAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("UpdateAlertChannel")
            .WithSummary("Edit an alert channel")
            .WithDescription("""
                Changes only what the body gives, with the checks of adding one. `settings` are laid over the stored ones (an empty
                value drops a setting); a secret stays unless a new value is given, and is never returned. Another `channel` kind keeps
                none of the old one's settings or secrets. `enabled` enables or disables it. In the audit log as `alert.update`.
                """)
            .AddOpenApiOperationTransformer(ChannelParameter)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<UpdateAlertChannelBody>(AlertExamples.Update))
            .Produces<AlertChannelItem>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status200OK, AlertExamples.Item)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The webhook URL \"javascript:alert(1)\" is not an http:// or https:// URL."))
            .WithExample(StatusCodes.Status404NotFound, NoChannel);
        api.MapDelete(Path + "/{channel}", DeleteAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("DeleteAlertChannel")
            .WithSummary("Delete an alert channel")
            .WithDescription("Removes the channel and its sealed secrets; the messages sent to it stay in the history.")
            .AddOpenApiOperationTransformer(ChannelParameter)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AlertExamples.Item)
            .WithExample(StatusCodes.Status404NotFound, NoChannel);
        api.MapPost(Path + "/{channel}/test", TestAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("TestAlertChannel")
            .WithSummary("Send a test message")
            .WithDescription("Sends one test message to the channel now (a disabled one too) and answers with its history entry: `sent`, or `failed` with the step and the reason.")
            .AddOpenApiOperationTransformer(ChannelParameter)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AlertExamples.Sent)
            .WithExample(StatusCodes.Status404NotFound, NoChannel);
    }

    private static object NoChannel => ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no alert channel \"pager\"; `alert list` shows the channels.");

    private static async Task<Ok<AlertChannelList>> ListAsync(AlertService alerts, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AlertChannelList([.. (await alerts.ListAsync(cancellationToken).ConfigureAwait(false)).Select(AlertChannelItem.From)]));

    private static async Task<IResult> CreateAsync(HttpContext http, AlertService alerts, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadAsync<CreateAlertChannelBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var added = await alerts.AddAsync(body!.ToDraft(), ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return added.IsSuccess
            ? TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}{Path}/{added.Value.Id}"), AlertChannelItem.From(added.Value))
            : ApiProblems.BadRequest(added.Error!);
    }

    private static async Task<Results<Ok<AlertHistoryList>, ProblemHttpResult>> HistoryAsync(HttpRequest request, AlertService alerts, CancellationToken cancellationToken)
    {
        var limit = ApiQuery.Number(request.Query, "limit", DefaultLimit, 1, AlertService.MaxHistory);
        if ((ApiQuery.Problem(request.Query, Known, "the alert history") ?? limit.Error) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }

        var history = await alerts.HistoryAsync(limit.Value, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AlertHistoryList([.. history.Select(AlertHistoryItem.From)]));
    }

    private static async Task<IResult> UpdateAsync(string channel, HttpContext http, AlertService alerts, CancellationToken cancellationToken)
    {
        var found = await alerts.FindAsync(channel, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return ApiProblems.NotFound(found.Error!);
        }

        var (body, problem) = await ApiJsonBody.ReadAsync<UpdateAlertChannelBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var actor = ApiTokenDefaults.Actor(http.User);
        var id = found.Value.Id.ToString(CultureInfo.InvariantCulture);
        var updated = await alerts.UpdateAsync(id, body!.ToChange(), actor, cancellationToken).ConfigureAwait(false);
        if (updated.IsSuccess && body.Enabled is { } enabled && enabled != updated.Value.Enabled)
        {
            updated = await alerts.SetEnabledAsync(id, enabled, actor, cancellationToken).ConfigureAwait(false);
        }

        return updated.IsSuccess ? TypedResults.Ok(AlertChannelItem.From(updated.Value)) : ApiProblems.BadRequest(updated.Error!);
    }

    private static async Task<Results<Ok<AlertChannelItem>, ProblemHttpResult>> DeleteAsync(string channel, HttpContext http, AlertService alerts,
        CancellationToken cancellationToken)
    {
        var deleted = await alerts.DeleteAsync(channel, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess ? TypedResults.Ok(AlertChannelItem.From(deleted.Value)) : ApiProblems.NotFound(deleted.Error!);
    }

    private static async Task<Results<Ok<AlertHistoryItem>, ProblemHttpResult>> TestAsync(string channel, HttpContext http, AlertService alerts,
        CancellationToken cancellationToken)
    {
        var sent = await alerts.SendTestAsync(channel, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return sent.IsSuccess ? TypedResults.Ok(AlertHistoryItem.From(sent.Value)) : ApiProblems.NotFound(sent.Error!);
    }
}
