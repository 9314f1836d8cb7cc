using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Webhooks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>Webhook endpoints and their delivery logs (SPEC §11), for API keys with the admin scope.</summary>
internal static class WebhookEndpointsApi
{
    /// <summary>The body of <c>POST /api/v1/webhooks</c>.</summary>
    public sealed record WebhookInput(string? Url, IReadOnlyList<string>? Events, string? Description = null);

    /// <summary>An endpoint as the API answers it; <c>secret</c> only in the answer that created it.</summary>
    public sealed record ApiWebhook(
        int Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason, DateTime CreatedAt,
        DateTime? FailingSince, DateTime? LastSuccessAt, int Waiting, int FailedForGood)
    {
        public static ApiWebhook Of(WebhookEndpointView e) => new(
            e.Id, e.Url, e.Events, e.Description, e.Enabled, e.DisabledReason, e.CreatedAt, e.FailingSince, e.LastSuccessAt, e.Waiting, e.FailedForGood);
    }

    /// <summary>The answer to <c>POST /api/v1/webhooks</c>: the only time the secret is shown.</summary>
    public sealed record ApiCreatedWebhook(int Id, string Url, IReadOnlyList<string> Events, string Secret);

    /// <summary>One attempt of the delivery log.</summary>
    public sealed record ApiDelivery(
        long Id, string MessageId, string Type, long? LeadId, DateTime At, int? StatusCode, int LatencyMs, string? Response, bool Succeeded,
        WebhookMessageStatus MessageStatus, int Attempts, DateTime? NextAttemptAt)
    {
        public static ApiDelivery Of(WebhookDeliveryView d) => new(
            d.AttemptId, d.MessageId, d.EventType, d.LeadId, d.At, d.StatusCode, d.LatencyMs, d.Response, d.Succeeded, d.MessageStatus, d.Attempts, d.NextAttemptAt);
    }

    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").RequireAuthorization(ApiPolicies.Admin).WithTags("Webhooks");

        webhooks.MapPost("/", async (HttpRequest request, WebhookEndpoints service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<WebhookInput>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var created = await service.CreateAsync(new WebhookEndpointInput(input!.Url, input.Events, input.Description), $"API key '{request.HttpContext.User.Identity?.Name}'", cancellationToken);
            var e = created.Endpoint;
            return Results.Created($"/api/v1/webhooks/{e.Id}", new ApiCreatedWebhook(e.Id, e.Url, e.Events, created.Secret));
        })
        .WithName("CreateWebhook")
        .WithSummary("Register a webhook endpoint")
        .WithDescription("events: any of lead.intent_level_changed, lead.assigned, task.created, task.overdue, lead.created, lead.category_threshold_reached. "
            + "The answer holds the signing secret (whsec_...), shown this once. URLs that resolve to loopback, link-local or private addresses are refused unless the server allows private networks.")
        .Accepts<WebhookInput>("application/json")
        .Produces<ApiCreatedWebhook>(StatusCodes.Status201Created)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict);

        webhooks.MapGet("/", async (WebhookEndpoints service, CancellationToken cancellationToken) =>
            Results.Ok((await service.ListAsync(cancellationToken)).Select(ApiWebhook.Of).ToList()))
        .WithName("ListWebhooks")
        .WithSummary("The webhook endpoints, with their health (never their secrets)")
        .WithDescription("Each endpoint's URL, event types, whether it is enabled (and why the app disabled it), since when it fails without a success, its last success, and how many messages wait or failed for good.")
        .Produces<IReadOnlyList<ApiWebhook>>();

        webhooks.MapGet("/{id:int}", async (int id, WebhookEndpoints service, CancellationToken cancellationToken) =>
            await service.FindAsync(id, cancellationToken) is { } endpoint ? Results.Ok(ApiWebhook.Of(endpoint)) : ApiResults.NotFound($"There is no webhook endpoint {id}."))
        .WithName("GetWebhook")
        .WithSummary("One webhook endpoint, with its health (never its secret)")
        .WithDescription("As in the list, for the endpoint a new endpoint's Location names.")
        .Produces<ApiWebhook>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapDelete("/{id:int}", async (int id, WebhookEndpoints service, CancellationToken cancellationToken) =>
            await service.DeleteAsync(id, cancellationToken) ? Results.NoContent() : ApiResults.NotFound($"There is no webhook endpoint {id}."))
        .WithName("DeleteWebhook")
        .WithSummary("Delete a webhook endpoint with its waiting messages and its delivery log")
        .WithDescription("The endpoint is sent nothing more; its waiting messages are dropped with it.")
        .Produces(StatusCodes.Status204NoContent)
        .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapGet("/{id:int}/deliveries", async (int id, int? limit, long? before, WebhookEndpoints service, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > 500)
            {
                return ApiResults.Invalid("limit", $"limit is between 1 and 500; {limit} is not.");
            }
            var log = await service.DeliveriesAsync(id, limit ?? 100, before, cancellationToken);
            return log is null ? ApiResults.NotFound($"There is no webhook endpoint {id}.") : Results.Ok(log.Select(ApiDelivery.Of).ToList());
        })
        .WithName("ListWebhookDeliveries")
        .WithSummary("An endpoint's delivery log, newest first")
        .WithDescription("Each attempt: when, the event type, the receiver's status code (null when no answer came), the latency, the start of the answer, and where its message stands. Page with before=<the last id seen>.")
        .Produces<IReadOnlyList<ApiDelivery>>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
