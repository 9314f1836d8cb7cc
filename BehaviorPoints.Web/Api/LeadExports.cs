using System.Security.Claims;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Web.Urls;

namespace BehaviorPoints.Web.Api;

/// <summary>CSV downloads for signed-in users: the filtered lead list and one lead's entries, within the user's access.</summary>
internal static class LeadExports
{
    public static void MapLeadExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/leads/export.csv", async (
            HttpContext context, string? q, string? level, string? min, string? max, string? fit, string? team, string? stage, string? owner, string? likelihood,
            LeadQueries leads, LeadAccessService accessService) =>
        {
            var access = await accessService.ForPrincipalAsync(context.User, context.RequestAborted);
            // The list's filters, "mine" meaning the signed-in user (a category filter is not applied to the export).
            var query = LeadFilter.FromQuery(q, level, min, max, fit, team, stage: stage, owner: owner, likelihood: likelihood)
                .ToQuery(LeadSort.ScoreDesc, 0, LeadQueries.MaxPageSize, context.User.FindFirstValue(ClaimTypes.NameIdentifier));
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = "attachment; filename=\"leads.csv\"";
            await LeadCsv.WriteLeadsAsync(leads.StreamAsync(query, access, context.RequestAborted), context.Response.Body, context.RequestAborted);
        })
        .RequireAuthorization(Policies.SignedIn)
        .ExcludeFromDescription();

        endpoints.MapGet("/leads/{id:long}/entries.csv", async (long id, HttpContext context, LeadQueries leads, ScoreHistory history, LeadAccessService accessService) =>
        {
            var access = await accessService.ForPrincipalAsync(context.User, context.RequestAborted);
            if (await leads.FindAsync(id, access, context.RequestAborted) is null)
            {
                return Results.NotFound();
            }
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"lead-{id}-entries.csv\"";
            await LeadCsv.WriteEntriesAsync(history.StreamEntriesAsync(id, access, context.RequestAborted), context.Response.Body, context.RequestAborted);
            return Results.Empty;
        })
        .RequireAuthorization(Policies.SignedIn)
        .ExcludeFromDescription();
    }
}
