using System.Text.RegularExpressions;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web;

/// <summary>The app with one user per role (and two Sales teams), for the authorization matrix.</summary>
public sealed class MatrixFactory : ApiFactory
{
    public const string Password = "Matrix!Pass1";

    public async Task SeedUsersAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        if (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>().FindByEmailAsync("admin@matrix.test") is null)
        {
            await users.CreateAsync("admin@matrix.test", Password, Roles.Administrator, []);
            await users.CreateAsync("manager@matrix.test", Password, Roles.Manager, []);
            await users.CreateAsync("sales@matrix.test", Password, Roles.Sales, ["A"]);
        }
    }
}

/// <summary>
/// Every route of the app (read from its own route table) × every kind of caller, against the expected outcome. A new
/// route without a rule here fails <see cref="Every_route_has_a_rule"/>.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixFactory app) : IClassFixture<MatrixFactory>, IAsyncLifetime
{
    private enum Who { Anonymous, Sales, Manager, Administrator, IngestKey, AdminKey, RevokedKey }

    /// <summary>Who may use each route. Pages: signed-in roles. API: key scopes. Public: everyone.</summary>
    private static readonly Dictionary<string, Who[]> s_rules = new()
    {
        ["GET /"] = [Who.Sales, Who.Manager, Who.Administrator],
        ["GET /leads"] = [Who.Sales, Who.Manager, Who.Administrator],
        ["GET /leads/{Id:long}"] = [Who.Sales, Who.Manager, Who.Administrator],
        ["GET /leads/export.csv"] = [Who.Sales, Who.Manager, Who.Administrator],
        ["GET /leads/{id:long}/entries.csv"] = [Who.Sales, Who.Manager, Who.Administrator],
        ["GET /admin/scoring-rules"] = [Who.Administrator],
        ["GET /admin/scoring-rules/versions"] = [Who.Administrator],
        ["GET /admin/scoring-rules/versions/{Version:int}"] = [Who.Administrator],
        ["GET /admin/scoring-rules/export"] = [Who.Administrator],
        ["GET /dashboard"] = [Who.Manager, Who.Administrator],
        ["GET /admin/fit-score"] = [Who.Administrator],
        ["GET /admin/users"] = [Who.Administrator],
        ["GET /admin/teams"] = [Who.Administrator],
        ["GET /admin/api-keys"] = [Who.Administrator],
        ["GET /admin/routing"] = [Who.Administrator],
        ["GET /tasks"] = [Who.Sales, Who.Manager, Who.Administrator],
        ["GET /Account/Manage/ChangePassword"] = [Who.Sales, Who.Manager, Who.Administrator],
        ["POST /api/v1/events"] = [Who.IngestKey, Who.AdminKey],
        ["GET /api/v1/behavior-types"] = [Who.IngestKey, Who.AdminKey],
        ["GET /api/v1/behavior-types/{code}"] = [Who.IngestKey, Who.AdminKey],
        ["POST /api/v1/behavior-types"] = [Who.AdminKey],
        ["POST /api/v1/leads"] = [Who.AdminKey],
        ["GET /api/v1/leads"] = [Who.AdminKey],
        ["GET /api/v1/leads/{id:long}"] = [Who.AdminKey],
        ["PUT /api/v1/leads/{id:long}"] = [Who.AdminKey],
        ["GET /api/v1/leads/{id:long}/score"] = [Who.AdminKey],
        ["POST /api/v1/leads/{id:long}/adjustments"] = [Who.AdminKey],
        ["GET /api/v1/rule-set"] = [Who.AdminKey],
        ["PUT /api/v1/rule-set"] = [Who.AdminKey],
        ["POST /api/v1/rule-set/publish"] = [Who.AdminKey],
        ["GET /api/v1/rule-set/versions"] = [Who.AdminKey],
        ["GET /api/v1/rule-set/versions/{version:int}"] = [Who.AdminKey],
        ["GET /api/v1/routing-rules"] = [Who.AdminKey],
        ["PUT /api/v1/routing-rules"] = [Who.AdminKey],
        ["GET /api/v1/tasks"] = [Who.AdminKey],
        ["POST /api/v1/tasks/{id:long}/complete"] = [Who.AdminKey],
        ["POST /api/v1/webhooks"] = [Who.AdminKey],
        ["GET /api/v1/webhooks"] = [Who.AdminKey],
        ["GET /api/v1/webhooks/{id:int}"] = [Who.AdminKey],
        ["DELETE /api/v1/webhooks/{id:int}"] = [Who.AdminKey],
        ["GET /api/v1/webhooks/{id:int}/deliveries"] = [Who.AdminKey],
        ["GET /admin/webhooks"] = [Who.Administrator],
        ["GET /admin/webhooks/{Id:int}"] = [Who.Administrator],
        ["GET /admin/predictive"] = [Who.Administrator],
        ["POST /api/v1/predictive/train"] = [Who.AdminKey],
        ["GET /api/v1/predictive/model"] = [Who.AdminKey],
        ["GET /api/v1/predictive/models"] = [Who.AdminKey],
        ["POST /api/v1/predictive/models/{version:int}/make-live"] = [Who.AdminKey],
        ["GET /api/v1/rule-insights"] = [Who.AdminKey],
        ["GET /admin/sites"] = [Who.Administrator],
        ["GET /admin/sites/{Id:int}"] = [Who.Administrator],
        ["GET /admin/sites/{Id:int}/visitors/{VisitorId}"] = [Who.Administrator],
        ["GET /api/v1/sites"] = [Who.AdminKey],
        ["POST /api/v1/sites"] = [Who.AdminKey],
        ["GET /api/v1/sites/{id:int}"] = [Who.AdminKey],
        ["PUT /api/v1/sites/{id:int}"] = [Who.AdminKey],
        ["DELETE /api/v1/sites/{id:int}"] = [Who.AdminKey],
        ["POST /api/v1/sites/{id:int}/rotate-key"] = [Who.AdminKey],
        ["POST /api/v1/sites/{id:int}/identify-secret"] = [Who.AdminKey],
        ["GET /api/v1/sites/{id:int}/visitors"] = [Who.AdminKey],
        ["POST /api/v1/visitors/{visitorId}/release"] = [Who.AdminKey],
        ["GET /admin/sites/segment"] = [Who.Administrator],
        ["POST /api/v1/sources/segment/v1/batch"] = [Who.IngestKey, Who.AdminKey],
        ["POST /api/v1/sources/segment/v1/track"] = [Who.IngestKey, Who.AdminKey],
        ["POST /api/v1/sources/segment/v1/identify"] = [Who.IngestKey, Who.AdminKey],
        ["POST /api/v1/sources/segment/v1/page"] = [Who.IngestKey, Who.AdminKey],
        ["GET /api/v1/sources/segment/mappings"] = [Who.AdminKey],
        ["PUT /api/v1/sources/segment/mappings"] = [Who.AdminKey],
    };

    /// <summary>Routes anyone may open (sign-in, errors, health, the API description).</summary>
    private static readonly HashSet<string> s_public =
    [
        "GET /Account/Login", "POST /Account/Login", "GET /Account/Lockout", "GET /Account/AccessDenied", "POST /Account/Logout",
        "POST /Account/Language",
        "GET /not-found", "GET /error", "GET /healthz", "GET /openapi/{documentName}.json",
        "GET /api/reference/{documentName?}", "GET /api/reference/favicon.svg",
        // The website collector: its publishable key and the origin decide (CollectorApiTests).
        "OPTIONS /collect", "POST /collect",
        // The demo's sample company website (only with the demo data on).
        "GET /demo-site/{**page}", "POST /demo-site/{**page}",
    ];

    public Task InitializeAsync() => app.SeedUsersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // Every routed endpoint but static files. A Razor page answers GET and its form POSTs under one [Authorize]
    // attribute, so its routes count once, as GET.
    private IReadOnlyList<string> Routes() => app.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText is { } raw && !IsStaticFile(raw))
        .SelectMany(e =>
        {
            var isPage = e.Metadata.Any(m => m.GetType().Name == "ComponentTypeMetadata");
            var methods = isPage ? ["GET"] : e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            return methods.Where(m => m != "HEAD").Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}");
        })
        .Distinct()
        .ToList();

    private static bool IsStaticFile(string raw) =>
        raw.Contains("{**path:file}", StringComparison.Ordinal) || raw.StartsWith("_", StringComparison.Ordinal) || raw.StartsWith("/_", StringComparison.Ordinal)
        || Regex.IsMatch(raw, @"\.(js|css|gz|br|png|ico|woff2?|map)$");

    private static string Normalize(string raw) => "/" + raw.Trim('/');

    [Fact]
    public void Every_route_has_a_rule()
    {
        var unruled = Routes().Where(r => !s_rules.ContainsKey(r) && !s_public.Contains(r)).ToList();

        Assert.True(unruled.Count == 0, "Routes without an authorization rule in this test: " + string.Join(", ", unruled));
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in s_rules.Keys)
        {
            foreach (var who in Enum.GetNames<Who>())
            {
                data.Add(route, who);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_route_answers_each_caller_as_its_rule_says(string route, string whoName)
    {
        var who = Enum.Parse<Who>(whoName);
        var (method, pattern) = (route.Split(' ')[0], route.Split(' ')[1]);
        var path = Regex.Replace(pattern, @"\{[^}]+\}", "1");
        var client = await ClientForAsync(who);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var allowed = s_rules[route].Contains(who);
        var isApi = pattern.StartsWith("/api/", StringComparison.Ordinal);

        if (allowed)
        {
            // Reached, and answered: an allowed caller never gets a server error, even for this test's empty body.
            Assert.True(status is not (401 or 403) && status < 500 && !(status == 302 && IsAuthRedirect(response)), $"{who} should reach {route}, got {status} {response.Headers.Location}");
        }
        else if (isApi)
        {
            Assert.True(status is 401 or 403, $"{who} must be refused at {route}, got {status}");
        }
        else
        {
            Assert.True(status == 302 && IsAuthRedirect(response) || status is 401 or 403, $"{who} must be refused at {route}, got {status} {response.Headers.Location}");
        }
    }

    public static TheoryData<string> WritePaths() => ["create", "update into another team", "update another team's lead", "owner outside the team", "import", "adjust"];

    /// <summary>
    /// The data-level row of the matrix: a Sales user in team A may reach every write path, but none of them writes a
    /// lead into (or changes a lead of) another team, and nothing changes when they try.
    /// </summary>
    [Theory]
    [MemberData(nameof(WritePaths))]
    public async Task Sales_cannot_write_a_lead_into_another_team(string path)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var leads = services.GetRequiredService<LeadCommands>();
        var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        await using var _ = db;
        var salesId = await db.Users.Where(u => u.Email == "sales@matrix.test").Select(u => u.Id).SingleAsync();
        var sales = await services.GetRequiredService<LeadAccessService>().ForUserAsync(salesId, [Roles.Sales]);
        var ours = await leads.CreateAsync(new LeadInput { Name = $"Ours {path}", Team = "A" }, LeadAccess.All);
        var theirs = await leads.CreateAsync(new LeadInput { Name = $"Theirs {path}", Team = "B" }, LeadAccess.All);
        if (await db.Users.AnyAsync(u => u.Email == "b.rep@matrix.test") == false)
        {
            await services.GetRequiredService<UserAdministration>().CreateAsync("b.rep@matrix.test", MatrixFactory.Password, Roles.Sales, ["B"]);
        }
        async Task<string> SnapshotAsync() => string.Join(";", await db.Leads.AsNoTracking().OrderBy(l => l.Id)
            .Select(l => $"{l.Id}:{l.Name}:{l.TeamId}:{l.OwnerId}:{l.BehaviorPoints}").ToListAsync());
        var before = await SnapshotAsync();
        var teamsBefore = await db.Teams.CountAsync();

        Func<Task> attempt = path switch
        {
            "create" => () => leads.CreateAsync(new LeadInput { Name = "Sneaky", Team = "B" }, sales),
            "update into another team" => () => leads.UpdateAsync(ours.Id, ours.ToInput() with { Team = "B" }, sales),
            "update another team's lead" => async () => Assert.Null(await leads.UpdateAsync(theirs.Id, theirs.ToInput() with { Name = "Renamed" }, sales)),
            "owner outside the team" => () => leads.UpdateAsync(ours.Id, ours.ToInput() with { OwnerEmail = "b.rep@matrix.test" }, sales),
            "import" => async () =>
            {
                var csv = services.GetRequiredService<LeadCsv>();
                var preview = await csv.PreviewAsync(new MemoryStream("name,team\nSneaky,B\nNew team,Atlantis\n"u8.ToArray()), sales);
                Assert.Equal(0, preview.ValidCount);
                Assert.Equal(0, (await csv.ImportAsync(preview, sales)).Created);
            },
            "adjust" => async () => Assert.Null(await services.GetRequiredService<Ledger>().AdjustAsync(theirs.Id, 50, "Because", "sales@matrix.test", sales)),
            _ => throw new ArgumentOutOfRangeException(nameof(path)),
        };
        try
        {
            await attempt();
        }
        catch (ValidationFailedException refused)
        {
            Assert.Contains(refused.Errors, e => e.Field is "team" or "ownerEmail");
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(teamsBefore, await db.Teams.CountAsync());
    }

    private static bool IsAuthRedirect(HttpResponseMessage response) =>
        response.Headers.Location?.OriginalString is { } location
        && (location.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase) || location.Contains("/Account/AccessDenied", StringComparison.OrdinalIgnoreCase));

    /// <summary>The list's CSV export keeps its owner filter: "mine" is the signed-in rep's leads, "pool" the unowned ones of their teams.</summary>
    [Fact]
    public async Task The_lead_export_keeps_the_pool_and_mine_filters_within_the_reps_teams()
    {
        var leads = app.Services.GetRequiredService<LeadCommands>();
        var mine = await leads.CreateAsync(new LeadInput { Name = "Export mine", Team = "A", OwnerEmail = "sales@matrix.test" }, LeadAccess.All);
        var pooled = await leads.CreateAsync(new LeadInput { Name = "Export pooled", Team = "A" }, LeadAccess.All);
        var elsewhere = await leads.CreateAsync(new LeadInput { Name = "Export elsewhere", Team = "B" }, LeadAccess.All);
        var client = await ClientForAsync(Who.Sales);

        var own = await client.GetStringAsync("/leads/export.csv?owner=mine");
        var pool = await client.GetStringAsync("/leads/export.csv?owner=pool");

        Assert.Contains(mine.Name, own);
        Assert.DoesNotContain(pooled.Name, own);
        Assert.Contains(pooled.Name, pool);
        Assert.DoesNotContain(mine.Name, pool);
        Assert.DoesNotContain(elsewhere.Name, pool);
    }

    private async Task<HttpClient> ClientForAsync(Who who)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        switch (who)
        {
            case Who.IngestKey: client.DefaultRequestHeaders.Add("X-Api-Key", app.IngestKey); break;
            case Who.AdminKey: client.DefaultRequestHeaders.Add("X-Api-Key", app.AdminKey); break;
            case Who.RevokedKey: client.DefaultRequestHeaders.Add("X-Api-Key", app.RevokedKey); break;
            case Who.Sales: await FormSignIn.SignInAsync(client, "sales@matrix.test", MatrixFactory.Password); break;
            case Who.Manager: await FormSignIn.SignInAsync(client, "manager@matrix.test", MatrixFactory.Password); break;
            case Who.Administrator: await FormSignIn.SignInAsync(client, "admin@matrix.test", MatrixFactory.Password); break;
        }
        return client;
    }

}
