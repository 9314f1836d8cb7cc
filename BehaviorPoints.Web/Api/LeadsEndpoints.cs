using System.Text.Json;
using BehaviorPoints.Core.Leads;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>Leads: create, update (fields left out stay as they are), read, list, and the score with its entries.</summary>
internal static class LeadsEndpoints
{
    private static readonly Dictionary<string, LeadSort> s_sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["score_desc"] = LeadSort.ScoreDesc,
        ["score_asc"] = LeadSort.ScoreAsc,
        ["name_asc"] = LeadSort.NameAsc,
        ["created_desc"] = LeadSort.NewestFirst,
        ["last_activity_desc"] = LeadSort.LastActivityDesc,
    };

    public static void MapLeadsEndpoints(this RouteGroupBuilder api)
    {
        var leads = api.MapGroup("/leads").RequireAuthorization(ApiPolicies.Admin).WithTags("Leads");

        leads.MapPost("/", async (HttpRequest request, LeadService service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<LeadInput>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var lead = await service.CreateAsync(input!, LeadAccess.All, cancellationToken);
            return TypedResults.Created($"/api/v1/leads/{lead.Id}", lead);
        })
        .WithSummary("Create a lead; behaviors already received for its email, phone or external id are scored at once")
        .Accepts<LeadInput>("application/json")
        .Produces<LeadView>(StatusCodes.Status201Created)
        .ProducesValidationProblem();

        leads.MapPut("/{id:long}", async (long id, HttpRequest request, LeadService service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (changes, error) = await JsonBody.ReadObjectAsync(request, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var existing = await service.FindAsync(id, LeadAccess.All, cancellationToken);
            if (existing is null)
            {
                return ApiResults.NotFound($"There is no lead {id}.");
            }

            var options = json.Value.SerializerOptions;
            var merged = JsonSerializer.SerializeToNode(existing.ToInput(), options)!.AsObject();
            foreach (var (name, value) in changes!)
            {
                merged[name] = value?.DeepClone();
            }
            LeadInput input;
            try
            {
                input = merged.Deserialize<LeadInput>(options)!;
            }
            catch (JsonException exception)
            {
                return ApiResults.FromJsonException(exception);
            }
            var updated = await service.UpdateAsync(id, input, LeadAccess.All, cancellationToken);
            return updated is null ? ApiResults.NotFound($"There is no lead {id}.") : TypedResults.Ok(updated);
        })
        .WithSummary("Update a lead: fields present in the body replace the lead's, fields left out are kept")
        .Accepts<LeadInput>("application/json")
        .Produces<LeadView>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound);

        leads.MapGet("/{id:long}", async (long id, LeadService service, CancellationToken cancellationToken) =>
            await service.FindAsync(id, LeadAccess.All, cancellationToken) is { } lead
                ? Results.Ok(lead)
                : ApiResults.NotFound($"There is no lead {id}."))
        .WithSummary("Read a lead")
        .Produces<LeadView>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        leads.MapGet("/", async (string? intentLevel, long? minScore, long? maxScore, string? search, string? sort, int? limit, int? offset, LeadService service, CancellationToken cancellationToken) =>
        {
            var leadSort = LeadSort.ScoreDesc;
            if (sort is not null && !s_sorts.TryGetValue(sort, out leadSort))
            {
                return ApiResults.Invalid("sort", $"sort '{sort}' is not one of {string.Join(", ", s_sorts.Keys)}.");
            }
            if (limit is < 1 or > LeadService.MaxPageSize)
            {
                return ApiResults.Invalid("limit", $"limit must be 1 to {LeadService.MaxPageSize}.");
            }
            if (offset < 0)
            {
                return ApiResults.Invalid("offset", "offset must not be negative.");
            }
            if (minScore > maxScore)
            {
                return ApiResults.Invalid("minScore", $"minScore {minScore} is above maxScore {maxScore}.");
            }
            var page = await service.ListAsync(new LeadQuery
            {
                IntentLevel = intentLevel,
                MinScore = minScore,
                MaxScore = maxScore,
                Search = search,
                Sort = leadSort,
                Limit = limit ?? 50,
                Offset = offset ?? 0,
            }, LeadAccess.All, cancellationToken);
            return Results.Ok(page);
        })
        .WithSummary("List leads, filtered by intent level, score range or text, sorted (score_desc by default)")
        .Produces<LeadPage>()
        .ProducesValidationProblem();

        leads.MapGet("/{id:long}/score", async (long id, int? limit, long? before, LeadService service, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > LeadService.MaxPageSize)
            {
                return ApiResults.Invalid("limit", $"limit must be 1 to {LeadService.MaxPageSize}.");
            }
            var score = await service.GetScoreAsync(id, LeadAccess.All, limit ?? 50, before, cancellationToken);
            return score is null ? ApiResults.NotFound($"There is no lead {id}.") : Results.Ok(score);
        })
        .WithSummary("A lead's Behavior Points, intent level and score entries, newest first; page with ?before=<entry id>")
        .Produces<LeadScore>()
        .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
