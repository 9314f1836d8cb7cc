using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Web.Components.Shared;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Layout;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Components;

public sealed class NavMenuTests : MudContext, IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        // The menu's task count reads the signed-in user's tasks.
        _database = await CoreDatabase.CreateAsync();
        Services.AddSingleton(_database.Get<FollowUps>());
        Services.AddSingleton(_database.Get<UserSignals>());
        Services.AddScoped<CurrentUser>();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    public NavMenuTests()
    {
        // The app's own policies, so the menu is checked against the real role rules.
        Services.AddAuthorizationBuilder()
            .AddPolicy(BehaviorPoints.Web.Policies.Administrator, policy => policy.RequireRole(Roles.Administrator));
    }

    private IReadOnlyList<string> LinksFor(string role)
    {
        Authorization.SetAuthorized($"{role.ToLowerInvariant()}@example.com");
        Authorization.SetRoles(role);
        // The policies each role satisfies, as the app defines them.
        Authorization.SetPolicies(role switch
        {
            Roles.Administrator => [BehaviorPoints.Web.Policies.Administrator, BehaviorPoints.Web.Policies.ManagerOrAdministrator],
            Roles.Manager => [BehaviorPoints.Web.Policies.ManagerOrAdministrator],
            _ => [],
        });
        var cut = RenderInteractive<NavMenu>();
        return cut.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
    }

    [Fact]
    public void Administrators_see_the_administration_pages()
    {
        Assert.Equal(["Overview", "Leads", "My tasks", "Dashboard", "Scoring rules", "Fit score", "Routing", "Prediction", "Websites", "Webhooks", "Users", "Teams", "API keys", "API reference", "Change password"], LinksFor(Roles.Administrator));
    }

    [Theory]
    [InlineData(Roles.Sales)]
    [InlineData(Roles.Manager)]
    public void Other_roles_do_not_see_them(string role)
    {
        var links = LinksFor(role);

        Assert.DoesNotContain("Scoring rules", links);
        Assert.DoesNotContain("Users", links);
        Assert.DoesNotContain("Fit score", links);
        Assert.DoesNotContain("Routing", links);
        Assert.Contains("My tasks", links);
        Assert.Contains("Overview", links);
        Assert.Equal(role == Roles.Manager, links.Contains("Dashboard"));
    }
}
