using BehaviorPoints.Core.Tracking;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>Websites that send through the tracker, their visitors and releasing held ones (SPEC §16), for API keys with the admin scope.</summary>
internal static class SitesApi
{
    /// <summary>A site as the API answers it; <c>identifySecret</c> only in the answers that made it.</summary>
    public sealed record ApiSite(
        int Id, string Name, IReadOnlyList<string> Origins, string? Team, string Consent, string Identify, bool CreateLeads, bool TrackAllForms,
        string PublishableKey, bool HasIdentifySecret, DateTime CreatedAt, SiteToday Today, DateTime? LastEventAt,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? IdentifySecret = null)
    {
        public static ApiSite Of(SiteView s, string? secret = null) => new(
            s.Id, s.Name, s.Origins, s.Team, s.Consent, s.Identify, s.CreateLeads, s.TrackAllForms, s.PublishableKey, s.HasIdentifySecret,
            s.CreatedAt, s.Today, s.LastEventAt, secret);
    }

    /// <summary>One visitor: <c>heldReason</c> in words when its behaviors are held back as a suspected bot's.</summary>
    public sealed record ApiVisitor(string VisitorId, long? LeadId, int Behaviors, bool Held, string? HeldReason, DateTime FirstSeen, DateTime LastSeen);

    public static void MapSitesEndpoints(this RouteGroupBuilder api)
    {
        var sites = api.MapGroup("/sites").RequireAuthorization(ApiPolicies.Admin).WithTags("Websites");

        sites.MapGet("/", async (SiteService service, CancellationToken cancellationToken) =>
            Results.Ok((await service.ListAsync(cancellationToken)).Select(s => ApiSite.Of(s)).ToList()))
            .WithName("ListSites").WithSummary("List the websites that send through the tracker")
            .WithDescription("Each with its publishable key (never the identify secret), today's counts (UTC day: behaviors received, held back, visitors identified) and when it last sent.")
            .Produces<List<ApiSite>>();

        sites.MapPost("/", async (HttpRequest request, SiteService service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<SiteInput>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var created = await service.CreateAsync(input!, cancellationToken);
            return Results.Created($"/api/v1/sites/{created.Site.Id}", ApiSite.Of(created.Site, created.IdentifySecret));
        })
        .WithName("CreateSite").WithSummary("Add a website")
        .WithDescription("origins: https://www.example.com, or https://*.example.com for its subdomains (scheme and host must match, the port when given). "
            + "consent: implied | required; identify: form | signed. The answer holds the publishable key (pk_...) for the snippet and the identify secret, shown this once.")
        .Accepts<SiteInput>("application/json")
        .Produces<ApiSite>(StatusCodes.Status201Created)
        .ProducesValidationProblem();

        sites.MapGet("/{id:int}", async (int id, SiteService service, CancellationToken cancellationToken) =>
            await service.FindAsync(id, cancellationToken) is { } site ? Results.Ok(ApiSite.Of(site)) : ApiResults.NotFound($"There is no site {id}."))
            .WithName("GetSite").WithSummary("One website")
            .WithDescription("Its settings, publishable key and today's counts; never the identify secret.")
            .Produces<ApiSite>().ProducesProblem(StatusCodes.Status404NotFound);

        sites.MapPut("/{id:int}", async (int id, HttpRequest request, SiteService service, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<SiteInput>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            return await service.UpdateAsync(id, input!, cancellationToken) is { } site ? Results.Ok(ApiSite.Of(site)) : ApiResults.NotFound($"There is no site {id}.");
        })
        .WithName("UpdateSite").WithSummary("Change a website")
        .WithDescription("Replaces the settings; the publishable key and identify secret stay. Origins are checked as when adding.")
        .Accepts<SiteInput>("application/json")
        .Produces<ApiSite>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        sites.MapDelete("/{id:int}", async (int id, SiteService service, CancellationToken cancellationToken) =>
            await service.DeleteAsync(id, cancellationToken) ? Results.NoContent() : ApiResults.NotFound($"There is no site {id}."))
            .WithName("DeleteSite").WithSummary("Delete a website")
            .WithDescription("Only a website that never sent a behavior: one that did explains scores and stays (rotate its key to stop it).")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        sites.MapPost("/{id:int}/rotate-key", async (int id, SiteService service, CancellationToken cancellationToken) =>
            await service.RotateKeyAsync(id, cancellationToken) is { } site ? Results.Ok(ApiSite.Of(site)) : ApiResults.NotFound($"There is no site {id}."))
            .WithName("RotateSiteKey").WithSummary("Rotate the publishable key")
            .WithDescription("A new publishable key; the collector refuses the old one at once on this instance and within seconds on the others.")
            .Produces<ApiSite>().ProducesProblem(StatusCodes.Status404NotFound);

        sites.MapPost("/{id:int}/identify-secret", async (int id, SiteService service, CancellationToken cancellationToken) =>
            await service.NewIdentifySecretAsync(id, cancellationToken) is { } made ? Results.Ok(ApiSite.Of(made.Site, made.IdentifySecret)) : ApiResults.NotFound($"There is no site {id}."))
            .WithName("NewIdentifySecret").WithSummary("Make a new identify secret")
            .WithDescription("The answer holds the new secret, shown this once; signed identifies made with the old one stop verifying.")
            .Produces<ApiSite>().ProducesProblem(StatusCodes.Status404NotFound);

        sites.MapGet("/{id:int}/visitors", async (int id, bool? held, SiteService service, CancellationToken cancellationToken) =>
            await service.VisitorsAsync(id, held == true, cancellationToken: cancellationToken) is { } visitors
                ? Results.Ok(visitors.Select(v => new ApiVisitor(v.VisitorId, v.LeadId, v.Behaviors, v.Held, v.HeldReason is { } r ? BotReasons.InEnglish(r) : null, v.FirstSeen, v.LastSeen)).ToList())
                : ApiResults.NotFound($"There is no site {id}."))
            .WithName("ListSiteVisitors").WithSummary("The website's visitors")
            .WithDescription("Most recently seen first, at most 200; held=true lists only those held back as suspected bots, with the reason.")
            .Produces<List<ApiVisitor>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/visitors/{visitorId}/release", async (string visitorId, SiteService service, CancellationToken cancellationToken) =>
            await service.ReleaseAsync(visitorId, cancellationToken) ? Results.NoContent() : ApiResults.NotFound($"There is no visitor {visitorId}."))
            .RequireAuthorization(ApiPolicies.Admin).WithTags("Websites")
            .WithName("ReleaseVisitor").WithSummary("Release a visitor held back as a suspected bot")
            .WithDescription("The detectors stop holding it; its behaviors are scored in the order they happened, exactly once, when it is identified (at once if it is).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
