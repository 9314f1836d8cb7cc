using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Core.Leads;

public sealed class LeadSearchTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        var leads = _database.Get<LeadCommands>();
        await leads.CreateAsync(new LeadInput { Name = "Jan Kowalski", Company = "Acme Sp. z o.o.", Email = "jan@acme.example" }, LeadAccess.All);
        await leads.CreateAsync(new LeadInput { Name = "Ana Souza", Company = "50% Off \"Deals\"", Email = "ana@deals.example" }, LeadAccess.All);
        await leads.CreateAsync(new LeadInput { Name = "Li Wei", Company = "Globex", Email = "li_wei@globex.example" }, LeadAccess.All);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<IReadOnlyList<string>> SearchAsync(string text) =>
        (await _database.Get<LeadQueries>().ListAsync(new LeadQuery { Search = text, Sort = LeadSort.NameAsc }, LeadAccess.All)).Leads.Select(l => l.Name).ToList();

    [Theory]
    [InlineData("kowal", "Jan Kowalski")]   // part of a name, other case
    [InlineData("ACME", "Jan Kowalski")]    // company
    [InlineData("deals.ex", "Ana Souza")]   // email
    [InlineData("\"Deals\"", "Ana Souza")]  // quotes are text, not search syntax
    [InlineData("50%", "Ana Souza")]        // LIKE wildcards are text too
    [InlineData("li", "Li Wei")]            // two letters: no trigram, the LIKE fallback
    [InlineData("_w", "Li Wei")]
    public async Task Name_company_and_email_are_searched_for_the_text_anywhere_ignoring_case(string text, string expected)
    {
        Assert.Equal([expected], await SearchAsync(text));
    }

    [Fact]
    public async Task A_search_matching_more_leads_than_the_limit_is_counted_to_the_limit_and_says_so()
    {
        var limit = LeadQueries.SearchCountLimit;
        await _database.InsertLeadsAsync("Anna Kowalski", limit);
        var queries = _database.Get<LeadQueries>();

        var broad = await queries.ListAsync(new LeadQuery { Search = "kowalski", Limit = 25 }, LeadAccess.All);
        var exact = await queries.ListAsync(new LeadQuery { Search = "anna kowalski", Limit = 25 }, LeadAccess.All);

        // Jan and the limit's Annas: one more than is counted.
        Assert.Equal((limit, true, 25), (broad.TotalCount, broad.TotalCountIsLowerBound, broad.Leads.Count));
        Assert.Equal((limit, false), (exact.TotalCount, exact.TotalCountIsLowerBound));
        Assert.Equal((1, false), await queries.ListAsync(new LeadQuery { Search = "jan kowalski" }, LeadAccess.All) is var one ? (one.TotalCount, one.TotalCountIsLowerBound) : default);
    }

    [Fact]
    public async Task The_index_follows_renames()
    {
        var lead = (await _database.Get<LeadQueries>().ListAsync(new LeadQuery { Search = "kowalski" }, LeadAccess.All)).Leads.Single();
        await _database.Get<LeadCommands>().UpdateAsync(lead.Id, lead.ToInput() with { Name = "Jan Nowak", Company = "Initech" }, LeadAccess.All);

        Assert.Empty(await SearchAsync("kowalski"));
        Assert.Empty(await SearchAsync("acme sp"));
        Assert.Equal(["Jan Nowak"], await SearchAsync("nowak"));
        Assert.Equal(["Jan Nowak"], await SearchAsync("initech"));
    }
}
