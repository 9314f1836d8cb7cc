using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>The draft rule set (get, put), publishing, and the published versions.</summary>
internal static class RuleSetEndpoints
{
    public static void MapRuleSetEndpoints(this RouteGroupBuilder api)
    {
        var ruleSet = api.MapGroup("/rule-set").RequireAuthorization(ApiPolicies.Admin).WithTags("Rule set");

        ruleSet.MapGet("/", async (RuleSetService service, CancellationToken cancellationToken) =>
            await service.GetDraftAsync(cancellationToken) is { } draft
                ? Results.Ok(draft)
                : ApiResults.NotFound("There is no rule set yet: PUT one to create the draft."))
        .WithName("GetDraftRuleSet")
        .WithSummary("The draft rule set")
        .WithDescription("The rule set as the wizard edits it: basic information, rules and the intent field. It scores nothing until published.")
        .Produces<RuleSetDefinition>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        ruleSet.MapPut("/", async (HttpRequest request, RuleSetService service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (definition, error) = await JsonBody.ReadAsync<RuleSetDefinition>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            await service.SaveDraftAsync(definition!, cancellationToken);
            return Results.Ok(await service.GetDraftAsync(cancellationToken));
        })
        .WithName("PutDraftRuleSet")
        .WithSummary("Replace the draft rule set; it takes effect when published")
        .WithDescription("An invalid rule set is refused with a problem per field; nothing is saved then.")
        .Accepts<RuleSetDefinition>("application/json")
        .Produces<RuleSetDefinition>()
        .ProducesValidationProblem();

        ruleSet.MapPost("/publish", async (HttpContext context, string? mode, RuleSetService service, CancellationToken cancellationToken) =>
        {
            var publishMode = mode switch
            {
                null or "" or "new_behaviors_only" => PublishMode.NewBehaviorsOnly,
                "rescore" => PublishMode.RescoreEveryLead,
                _ => throw new ValidationFailedException("mode", $"mode '{mode}' is not one of new_behaviors_only, rescore."),
            };
            var version = await service.PublishAsync($"API key {context.User.Identity?.Name}", publishMode, cancellationToken);
            return Results.Ok(new PublishResponse(version));
        })
        .WithName("PublishRuleSet")
        .WithSummary("Publish the draft as a new version")
        .WithDescription("The new version scores behaviors received from now on; with mode=rescore every lead is re-scored from its stored behaviors in the background. A draft identical to the published version is refused with 409.")
        .Produces<PublishResponse>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound);

        ruleSet.MapGet("/versions", async (RuleSetService service, CancellationToken cancellationToken) =>
            Results.Ok(await service.ListVersionsAsync(cancellationToken)))
        .WithName("ListRuleSetVersions")
        .WithSummary("Every published version, newest first")
        .WithDescription("Version numbers with when and by whom each was published.")
        .Produces<IReadOnlyList<RuleSetVersionInfo>>();

        ruleSet.MapGet("/versions/{version:int}", async (int version, RuleSetService service, CancellationToken cancellationToken) =>
            await service.GetVersionAsync(version, cancellationToken) is { } definition
                ? Results.Ok(definition)
                : ApiResults.NotFound($"There is no published version {version}."))
        .WithName("GetRuleSetVersion")
        .WithSummary("One published version")
        .WithDescription("The rule set exactly as that version was published.")
        .Produces<RuleSetDefinition>()
        .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

/// <summary>The version number a publish created.</summary>
public sealed record PublishResponse(int Version);
