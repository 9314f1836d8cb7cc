using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>The behavior catalog: the built-ins and the custom types administrators add.</summary>
internal static class BehaviorTypesEndpoints
{
    public static void MapBehaviorTypesEndpoints(this RouteGroupBuilder api)
    {
        var types = api.MapGroup("/behavior-types").WithTags("Behavior types");

        types.MapGet("/", async (BehaviorTypes behaviorTypes, CancellationToken cancellationToken) =>
            Results.Ok((await behaviorTypes.CatalogAsync(cancellationToken)).All))
        .RequireAuthorization(ApiPolicies.Ingest)
        .WithName("ListBehaviorTypes")
        .WithSummary("Every behavior type events may name")
        .WithDescription("The built-in and custom types, each with its code, label, channel and usual attributes.")
        .Produces<IEnumerable<BehaviorType>>();

        types.MapGet("/{code}", async (string code, BehaviorTypes behaviorTypes, CancellationToken cancellationToken) =>
            (await behaviorTypes.CatalogAsync(cancellationToken)).Find(code) is { } type
                ? Results.Ok(type)
                : ApiResults.NotFound($"There is no behavior type '{code}'."))
        .RequireAuthorization(ApiPolicies.Ingest)
        .WithName("GetBehaviorType")
        .WithSummary("One behavior type")
        .WithDescription("A built-in or custom type by its code, as a new type's Location names it.")
        .Produces<BehaviorType>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        types.MapPost("/", async (HttpRequest request, BehaviorTypes behaviorTypes, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<CustomBehaviorTypeRequest>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            // The names are stored as one list; an empty name or one with a comma would silently become something else.
            if (input!.Attributes?.Any(a => string.IsNullOrWhiteSpace(a) || a.Contains(',', StringComparison.Ordinal)) ?? false)
            {
                return ApiResults.Invalid("attributes", "Attribute names cannot be empty or contain commas.");
            }
            await behaviorTypes.AddAsync(new CustomBehaviorType
            {
                Code = input.Code?.Trim() ?? "",
                Label = string.IsNullOrWhiteSpace(input.Label) ? input.Code?.Trim() ?? "" : input.Label.Trim(),
                Channel = string.IsNullOrWhiteSpace(input.Channel) ? "Custom" : input.Channel.Trim(),
                Attributes = string.Join(",", input.Attributes ?? []),
            }, cancellationToken);
            var created = (await behaviorTypes.CatalogAsync(cancellationToken)).Find(input.Code!.Trim());
            return TypedResults.Created($"/api/v1/behavior-types/{created!.Code}", created);
        })
        .RequireAuthorization(ApiPolicies.Admin)
        .WithName("CreateBehaviorType")
        .WithSummary("Add a custom behavior type")
        .WithDescription("code is 1 to 100 lower-case letters, digits, '.' or '_', starting with a letter; attribute names follow the rules of event attributes. A label left empty is the code, a channel left empty is Custom; texts are trimmed.")
        .Accepts<CustomBehaviorTypeRequest>("application/json")
        .Produces<BehaviorType>(StatusCodes.Status201Created)
        .ProducesValidationProblem();
    }
}

/// <summary>A custom behavior type: a stable code (e.g. <c>trial.start</c>), a label, a channel and attribute names.</summary>
public sealed record CustomBehaviorTypeRequest(string? Code, string? Label, string? Channel, IReadOnlyList<string>? Attributes);
