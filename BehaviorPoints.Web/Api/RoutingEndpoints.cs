using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Routing;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>Routing rules (the whole ordered list), follow-up tasks and completing them (SPEC §10).</summary>
internal static class RoutingEndpoints
{
    /// <summary>A follow-up task as the API answers it.</summary>
    public sealed record ApiTask(
        long Id, long LeadId, string LeadName, string AssigneeEmail, DateTime DueAt, FollowUpStatus Status, FollowUpOutcome? Outcome, string? Note,
        string? RuleName, DateTime CreatedAt, DateTime? CompletedAt, int Reclaims)
    {
        public static ApiTask Of(FollowUpTaskView task) => new(
            task.Id, task.LeadId, task.LeadName, task.AssigneeEmail, task.DueAt, task.Status,
            task.Outcome, task.Note, task.RuleName, task.CreatedAt, task.CompletedAt, task.Reclaims);
    }

    /// <summary>The body of <c>POST /api/v1/tasks/{id}/complete</c>.</summary>
    public sealed record CompleteInput(FollowUpOutcome? Outcome, string? Note = null);

    public static void MapRoutingEndpoints(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/routing-rules").RequireAuthorization(ApiPolicies.Admin).WithTags("Routing");

        rules.MapGet("/", async (RoutingRuleService service, CancellationToken cancellationToken) =>
            Results.Ok((await service.GetAsync(cancellationToken)).List))
        .WithName("GetRoutingRules")
        .WithSummary("The routing rules, in order")
        .WithDescription("The first rule whose trigger a lead enters (and whose conditions it passes) fires: it assigns the lead, creates a follow-up task and tells the people concerned.")
        .Produces<RoutingRuleList>();

        rules.MapPut("/", async (HttpRequest request, RoutingRuleService service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (list, error) = await JsonBody.ReadAsync<RoutingRuleList>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var saved = await service.SaveAsync(list!, $"API key '{request.HttpContext.User.Identity?.Name}'", cancellationToken);
            return Results.Ok(saved.List);
        })
        .WithName("PutRoutingRules")
        .WithSummary("Replace the whole ordered list of routing rules")
        .WithDescription("An invalid list is refused with a problem per field (rules[i].trigger.intentLevel, rules[i].assign.team, rules[i].task.dueAfterMinutes ...); nothing is saved then. Names are stored in their canonical spelling. The rules apply to score changes from now on; existing leads are routed only when an administrator applies a rule to them.")
        .Accepts<RoutingRuleList>("application/json")
        .Produces<RoutingRuleList>()
        .ProducesValidationProblem();

        var tasks = api.MapGroup("/tasks").RequireAuthorization(ApiPolicies.Admin).WithTags("Routing");

        tasks.MapGet("/", async (string? assigneeEmail, string? status, long? leadId, FollowUps service, CancellationToken cancellationToken) =>
        {
            FollowUpStatus? wanted = null;
            if (status is not null)
            {
                if (!Enum.TryParse<FollowUpStatus>(status.Trim(), ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                {
                    return ApiResults.Invalid("status", $"status '{status}' is not one of open, done, reclaimed.");
                }
                wanted = parsed;
            }
            var list = await service.ListAsync(new TaskQuery(AssigneeEmail: assigneeEmail, Status: wanted, LeadId: leadId, Limit: 5000), LeadAccess.All, cancellationToken);
            return Results.Ok(list.Select(ApiTask.Of).ToList());
        })
        .WithName("ListTasks")
        .WithSummary("Follow-up tasks, filtered by assignee, status and lead")
        .WithDescription("Open tasks first by due time (so the overdue ones lead), then the closed ones newest first; at most 5000.")
        .Produces<IReadOnlyList<ApiTask>>()
        .ProducesValidationProblem();

        tasks.MapPost("/{id:long}/complete", async (long id, HttpRequest request, FollowUps service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<CompleteInput>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            if (input!.Outcome is not { } outcome)
            {
                return ApiResults.Invalid("outcome", "Say how it went: outcome is one of contacted, not_reached, disqualified.");
            }
            var actor = new Actor(null, $"API key '{request.HttpContext.User.Identity?.Name}'", LeadAccess.All);
            var done = await service.CompleteAsync(id, outcome, input.Note, actor, cancellationToken);
            return done is null ? ApiResults.NotFound($"There is no task {id}.") : Results.Ok(ApiTask.Of(done));
        })
        .WithName("CompleteTask")
        .WithSummary("Complete an open follow-up task with an outcome and a note")
        .WithDescription("outcome is contacted, not_reached or disqualified; note (optional) up to 2000 characters. A task already done or reclaimed is refused with 409.")
        .Accepts<CompleteInput>("application/json")
        .Produces<ApiTask>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict);
    }
}
