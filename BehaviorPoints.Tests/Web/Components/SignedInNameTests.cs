using System.Security.Claims;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Layout;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Components;

/// <summary>The top bar names the signed-in user as people know them: the display name, else the email.</summary>
public sealed class SignedInNameTests : MudContext, IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        await using (var scope = _database.Get<IServiceScopeFactory>().CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await users.CreateAsync("ana@example.com", "Test!Pass1", Roles.Sales, ["North"], "Ana Lima");
            await users.CreateAsync("bo@example.com", "Test!Pass1", Roles.Sales, ["North"]);
        }
        Services.AddSingleton(_database.Get<UserDirectory>());
        Services.AddScoped<CurrentUser>();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    private async Task SignInAsAsync(string email)
    {
        await using var db = await _database.NewContextAsync();
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        Authorization.SetAuthorized(email);
        Authorization.SetRoles(Roles.Sales);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, id));
    }

    [Theory]
    [InlineData("ana@example.com", "Ana Lima")]
    [InlineData("bo@example.com", "bo@example.com")]
    public async Task The_top_bar_shows_the_display_name_and_the_email_on_hover(string email, string shown)
    {
        await SignInAsAsync(email);
        var name = RenderInteractive<SignedInName>();
        name.WaitForAssertion(() => Assert.Equal(shown, name.Find("[data-testid=signed-in-name]").TextContent));
        Assert.Equal(email, name.Find("[data-testid=signed-in-name]").GetAttribute("title"));
    }
}
