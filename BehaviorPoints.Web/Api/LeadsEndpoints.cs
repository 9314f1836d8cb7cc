using System.Text.Json;
using BehaviorPoints.Core;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Scoring;
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
        ["category_score_desc"] = LeadSort.CategoryScoreDesc,
        ["conversion_probability_desc"] = LeadSort.LikelihoodDesc,
        ["conversion_probability_asc"] = LeadSort.LikelihoodAsc,
    };

    /// <summary>The body of <c>POST /api/v1/leads/{id}/adjustments</c>.</summary>
    public sealed record AdjustmentInput(long Points, string? Reason, string? AuthorEmail, string? Category = null);

    public static void MapLeadsEndpoints(this RouteGroupBuilder api)
    {
        var leads = api.MapGroup("/leads").RequireAuthorization(ApiPolicies.Admin).WithTags("Leads");

        leads.MapPost("/", async (HttpRequest request, LeadCommands service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<LeadInput>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var lead = await service.CreateAsync(input!, LeadAccess.All, cancellationToken);
            return TypedResults.Created($"/api/v1/leads/{lead.Id}", lead);
        })
        .WithName("CreateLead")
        .WithSummary("Create a lead; behaviors already received for its email, phone or external id are scored at once")
        .WithDescription("Only name is required. team names a team (created when it does not exist yet); ownerEmail must name an existing user. Answers the lead with its id, Behavior Points and intent level.")
        .Accepts<LeadInput>("application/json")
        .Produces<LeadView>(StatusCodes.Status201Created)
        .ProducesValidationProblem();

        leads.MapPut("/{id:long}", async (long id, HttpRequest request, LeadCommands service, LeadQueries queries, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (changes, error) = await JsonBody.ReadObjectAsync(request, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var existing = await queries.FindAsync(id, LeadAccess.All, cancellationToken);
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
            var updated = await service.UpdateAsync(id, input, LeadAccess.All, cancellationToken, $"API key '{request.HttpContext.User.Identity?.Name}'");
            return updated is null ? ApiResults.NotFound($"There is no lead {id}.") : TypedResults.Ok(updated);
        })
        .WithName("UpdateLead")
        .WithSummary("Update a lead: fields present in the body replace the lead's, fields left out are kept")
        .WithDescription("Send only the fields to change; null clears an optional field. The same checks as creating a lead apply. stage moves the lead to another funnel stage by hand (recorded with the API key).")
        .Accepts<LeadInput>("application/json")
        .Produces<LeadView>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound);

        leads.MapGet("/{id:long}", async (long id, LeadQueries service, CancellationToken cancellationToken) =>
            await service.FindAsync(id, LeadAccess.All, cancellationToken) is { } lead
                ? Results.Ok(lead)
                : ApiResults.NotFound($"There is no lead {id}."))
        .WithName("GetLead")
        .WithSummary("Read a lead")
        .WithDescription("The lead's fields, Behavior Points, intent level and fit score.")
        .Produces<LeadView>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        leads.MapGet("/", async (
            string? intentLevel, long? minScore, long? maxScore, string? search, string? sort, int? limit, int? offset,
            string? category, long? minCategoryScore, string? stage, bool? inPool, string? ownerEmail, double? minConversionProbability,
            LeadQueries service, UserDirectory users, CancellationToken cancellationToken) =>
        {
            var leadSort = LeadSort.ScoreDesc;
            if (sort is not null && !s_sorts.TryGetValue(sort, out leadSort))
            {
                return ApiResults.Invalid("sort", $"sort '{sort}' is not one of {string.Join(", ", s_sorts.Keys)}.");
            }
            if (limit is < 1 or > LeadQueries.MaxPageSize)
            {
                return ApiResults.Invalid("limit", $"limit must be 1 to {LeadQueries.MaxPageSize}.");
            }
            if (offset < 0)
            {
                return ApiResults.Invalid("offset", "offset must not be negative.");
            }
            if (intentLevel is not null)
            {
                var levels = await service.IntentLevelsAsync(cancellationToken);
                if (levels.FirstOrDefault(l => string.Equals(l, intentLevel.Trim(), StringComparison.OrdinalIgnoreCase)) is { } level)
                {
                    intentLevel = level;
                }
                else
                {
                    return ApiResults.Invalid("intentLevel", levels.Count == 0
                        ? "intentLevel cannot filter: the published rule set has no intent field."
                        : $"intentLevel '{intentLevel}' is not one of {string.Join(", ", levels)}.");
                }
            }
            if (minConversionProbability is { } likelihood && (!double.IsFinite(likelihood) || likelihood is < 0 or > 1))
            {
                return ApiResults.Invalid("minConversionProbability", "minConversionProbability must be 0 to 1.");
            }
            if (minScore > maxScore)
            {
                return ApiResults.Invalid("minScore", $"minScore {minScore} is above maxScore {maxScore}.");
            }
            if (category is not null || stage is not null || minCategoryScore is not null)
            {
                var (categories, stages) = await service.CategoriesAndStagesAsync(cancellationToken);
                if (category is not null)
                {
                    category = categories.FirstOrDefault(c => string.Equals(c.Name, category.Trim(), StringComparison.OrdinalIgnoreCase))?.Name;
                    if (category is null)
                    {
                        return ApiResults.Invalid("category", categories.Count == 0
                            ? "category cannot filter: the published rule set has no categories."
                            : $"category is not one of {string.Join(", ", categories.Select(c => c.Name))}.");
                    }
                }
                else if (minCategoryScore is not null)
                {
                    return ApiResults.Invalid("minCategoryScore", "minCategoryScore needs a category to apply to.");
                }
                if (stage is not null && (stage = stages.Find(stage)) is null)
                {
                    return ApiResults.Invalid("stage", $"stage is not one of {string.Join(", ", stages.Stages.Select(s => s.Name))}.");
                }
            }
            string? ownerId = null;
            if (!string.IsNullOrWhiteSpace(ownerEmail))
            {
                ownerId = await users.FindIdAsync(ownerEmail, cancellationToken);
                if (ownerId is null)
                {
                    return ApiResults.Invalid("ownerEmail", $"No user has the email {ownerEmail.Trim()}.");
                }
            }
            var page = await service.ListAsync(new LeadQuery
            {
                InPool = inPool ?? false,
                OwnerId = ownerId,
                IntentLevel = intentLevel,
                MinScore = minScore,
                MaxScore = maxScore,
                Search = search,
                Category = category,
                MinCategoryScore = minCategoryScore,
                Stage = stage,
                MinLikelihood = minConversionProbability,
                Sort = leadSort,
                Limit = limit ?? 50,
                Offset = offset ?? 0,
            }, LeadAccess.All, cancellationToken);
            return Results.Ok(page);
        })
        .WithName("ListLeads")
        .WithSummary("List leads, filtered by intent level, score range, text, a category's score or stage, sorted (score_desc by default)")
        .WithDescription("A page of leads (limit and offset) and the total number that match the filters (totalCount); a text search counts its matches up to 1,000: past that, totalCountIsLowerBound is true and totalCount is a lower bound (1,000, or the leads up to this page and one more once a page goes past it), exact again on the last page. category keeps the leads with entries in that category (at least minCategoryScore in it when given) and fills each lead's categoryScore; category_score_desc sorts by it. inPool=true keeps the leads without an owner (their team's pool); ownerEmail the leads one user owns. minConversionProbability (0 to 1) keeps the leads the live prediction model gives at least that likelihood to convert; conversion_probability_desc and _asc sort by it, leads without one last.")
        .Produces<LeadPage>()
        .ProducesValidationProblem();

        leads.MapGet("/{id:long}/score", async (long id, int? limit, string? before, string? category, ScoreHistory service, LeadQueries queries, CancellationToken cancellationToken) =>
        {
            EntryFilter? filter = null;
            if (category is not null)
            {
                var (categories, _) = await queries.CategoriesAndStagesAsync(cancellationToken);
                if (categories.FirstOrDefault(c => string.Equals(c.Name, category.Trim(), StringComparison.OrdinalIgnoreCase)) is not { } listed)
                {
                    return ApiResults.Invalid("category", $"category is not one of the published rule set's categories ({(categories.Count == 0 ? "it has none" : string.Join(", ", categories.Select(c => c.Name)))}).");
                }
                filter = new EntryFilter(Category: listed.Name);
            }
            if (limit is < 1 or > LeadQueries.MaxPageSize)
            {
                return ApiResults.Invalid("limit", $"limit must be 1 to {LeadQueries.MaxPageSize}.");
            }
            EntryCursor? cursor = null;
            if (before is not null)
            {
                if (long.TryParse(before, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var entryId))
                {
                    // An entry id, as SPEC §5 has it: the page starts after that entry's place in time.
                    cursor = await service.CursorOfEntryAsync(id, entryId, cancellationToken);
                    if (cursor is null && await queries.FindAsync(id, LeadAccess.All, cancellationToken) is not null)
                    {
                        return ApiResults.Invalid("before", $"before {entryId} names no entry of lead {id}.");
                    }
                }
                else if (!EntryCursor.TryParse(before, out cursor))
                {
                    return ApiResults.Invalid("before", "before must be an entry id or the nextBefore of an earlier page.");
                }
            }
            var score = await service.GetScoreAsync(id, LeadAccess.All, limit ?? 50, cursor, cancellationToken, filter);
            return score is null ? ApiResults.NotFound($"There is no lead {id}.") : Results.Ok(score);
        })
        .WithName("GetLeadScore")
        .WithSummary("A lead's Behavior Points, intent level and score entries")
        .WithDescription("Entries are newest first by when they happened, ties by id; their points add up to the total. Page with ?before=<nextBefore> (or an entry id). categories holds the lead's score per category, stage and stageScore its funnel stage; ?category= lists only that category's entries (their running totals add up to its score).")
        .Produces<LeadScore>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        leads.MapPost("/{id:long}/adjustments", async (long id, HttpRequest request, Ledger ledger, UserDirectory users, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<AdjustmentInput>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            // The entry records who made it: the named user, or else the API key that sent it.
            var madeBy = $"API key '{request.HttpContext.User.Identity?.Name}'";
            if (!string.IsNullOrWhiteSpace(input!.AuthorEmail))
            {
                madeBy = await users.FindEmailAsync(input.AuthorEmail, cancellationToken)
                    ?? throw new ValidationFailedException("authorEmail", $"No user has the email {input.AuthorEmail.Trim()}.");
            }
            var adjusted = await ledger.AdjustAsync(id, input.Points, input.Reason ?? "", madeBy, LeadAccess.All, cancellationToken, input.Category);
            return adjusted is null
                ? ApiResults.NotFound($"There is no lead {id}.")
                : TypedResults.Created($"/api/v1/leads/{id}/score", adjusted);
        })
        .WithName("AdjustLeadScore")
        .WithSummary("Add a manual adjustment to a lead's Behavior Points")
        .WithDescription("points (non-zero, -10000 to 10000) with a required reason (1 to 1000 characters), written as one more entry; authorEmail names the user who made it, else the API key is recorded; category (optional) counts it toward one of the rule set's categories. Answers the entry, the new total and level.")
        .Accepts<AdjustmentInput>("application/json")
        .Produces<ManualAdjustment>(StatusCodes.Status201Created)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
