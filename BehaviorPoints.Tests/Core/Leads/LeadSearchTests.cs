using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

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

    [Theory]
    [InlineData(LeadSort.ScoreDesc, 0)]
    [InlineData(LeadSort.ScoreDesc, 475)]
    [InlineData(LeadSort.ScoreAsc, 0)]
    [InlineData(LeadSort.NewestFirst, 100)]
    public async Task A_page_of_a_text_too_common_to_count_is_that_page_of_every_match(LeadSort sort, int offset)
    {
        // More matches than are counted: the page walks the list's order testing each lead instead of gathering them.
        await _database.InsertLeadsAsync("Anna Kowalski", LeadQueries.SearchCountLimit + 100, spreadScores: true);
        await _database.InsertLeadsAsync("Piotr Nowak", 500, spreadScores: true);
        var leads = _database.Get<LeadCommands>();
        await leads.CreateAsync(new LeadInput { Name = "Ewa Zielińska", Company = "KOWALSKI i Synowie" }, LeadAccess.All);
        await leads.CreateAsync(new LeadInput { Name = "Olaf Berg", Email = "olaf@kowalski.example" }, LeadAccess.All);

        var page = await _database.Get<LeadQueries>().ListAsync(new LeadQuery { Search = "Kowalski", Sort = sort, Offset = offset, Limit = 25 }, LeadAccess.All);

        // The same page from every lead, read and sorted here.
        await using var db = await _database.NewContextAsync();
        var every = (await db.Leads.Select(l => new { l.Id, l.Name, l.Company, l.Email, l.BehaviorPoints }).ToListAsync())
            .Where(l => new[] { l.Name, l.Company, l.Email }.Any(t => t?.Contains("kowalski", StringComparison.OrdinalIgnoreCase) == true))
            .ToList();
        var ordered = sort switch
        {
            LeadSort.ScoreDesc => every.OrderByDescending(l => l.BehaviorPoints).ThenByDescending(l => l.Id),
            LeadSort.ScoreAsc => every.OrderBy(l => l.BehaviorPoints).ThenBy(l => l.Id),
            _ => every.OrderByDescending(l => l.Id),
        };
        Assert.True(every.Count > LeadQueries.SearchCountLimit);
        Assert.Equal(ordered.Skip(offset).Take(25).Select(l => l.Id), page.Leads.Select(l => l.Id));
        Assert.Equal((LeadQueries.SearchCountLimit, true), (page.TotalCount, page.TotalCountIsLowerBound));
    }

    [Fact]
    public async Task The_pages_of_a_common_text_go_on_past_the_count_limit_to_the_last_match()
    {
        await _database.InsertLeadsAsync("Anna Kowalski", LeadQueries.SearchCountLimit + 30); // and Jan: limit + 31 matches
        var queries = _database.Get<LeadQueries>();
        async Task<(int Count, int Total, bool LowerBound)> PageAsync(int offset) =>
            await queries.ListAsync(new LeadQuery { Search = "kowalski", Offset = offset, Limit = 25 }, LeadAccess.All) is var page
                ? (page.Leads.Count, page.TotalCount, page.TotalCountIsLowerBound) : default;

        var limit = LeadQueries.SearchCountLimit;
        Assert.Equal((25, limit, true), await PageAsync(0));
        Assert.Equal((25, limit + 1, true), await PageAsync(limit - 25)); // a lead follows: the pager offers one more page
        Assert.Equal((25, limit + 26, true), await PageAsync(limit));
        Assert.Equal((6, limit + 31, false), await PageAsync(limit + 25)); // the last page: exact
    }

    [Fact]
    public async Task A_common_text_is_counted_and_paged_among_the_leads_the_reader_sees()
    {
        await _database.InsertLeadsAsync("Anna Kowalski", LeadQueries.SearchCountLimit + 1);
        var rep = await _database.CreateUserAsync("rep@example.com", Roles.Sales, "North");
        var leads = _database.Get<LeadCommands>();
        foreach (var name in new[] { "Ewa Kowalski", "Adam Kowalski", "Ola Nowak" })
        {
            await leads.CreateAsync(new LeadInput { Name = name, Team = "North" }, LeadAccess.All);
        }
        var queries = _database.Get<LeadQueries>();

        var seen = await queries.ListAsync(new LeadQuery { Search = "kowalski", Sort = LeadSort.NameAsc }, rep);
        var team = await queries.ListAsync(new LeadQuery { Search = "kowalski", Sort = LeadSort.NameAsc, TeamId = rep.TeamIds[0] }, LeadAccess.All);

        foreach (var page in new[] { seen, team })
        {
            Assert.Equal((2, false), (page.TotalCount, page.TotalCountIsLowerBound));
            Assert.Equal(["Adam Kowalski", "Ewa Kowalski"], page.Leads.Select(l => l.Name));
        }
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
