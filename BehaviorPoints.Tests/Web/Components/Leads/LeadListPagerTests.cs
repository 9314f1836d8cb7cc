using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Components.Leads;

/// <summary>The lead list's pager counts a broad search as far as the limit and says there are more.</summary>
public sealed class LeadListPagerTests : MudContext, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        SignIn(Roles.Administrator);
        foreach (var type in new[] { typeof(LeadQueries), typeof(LeadAccessService), typeof(TeamService) })
        {
            Services.AddSingleton(type, _database.Get<object>(type));
        }
        Services.AddScoped<CurrentLeadAccess>();
        Services.AddScoped<CurrentUser>();
        await _database.InsertLeadsAsync("Anna Kowalski", LeadQueries.SearchCountLimit + 1);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("leads?q=kowalski", "1-25 of 1,000+")]
    [InlineData("leads?q=kowalski%2099", "1-11 of 11")] // Anna Kowalski 99 and 990 to 999: counted exactly
    public void The_pager_says_when_more_leads_match_than_were_counted(string url, string info)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);

        var list = RenderInteractive<BehaviorPoints.Web.Components.Pages.Leads.Leads>();

        list.WaitForAssertion(() => Assert.Contains(info, list.Find(".mud-table-pagination-toolbar").TextContent), s_wait);
    }
}
