using System.Text;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Core.Leads;

public sealed class LeadCsvTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private Task<LeadImportPreview> PreviewAsync(string csv, LeadAccess? access = null) =>
        _database.Get<LeadCsv>().PreviewAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), access ?? LeadAccess.All);

    private async Task<IReadOnlyList<(string Name, string? Team)>> LeadsAndTeamsAsync()
    {
        await using var db = await _database.NewContextAsync();
        return (await db.Leads.OrderBy(l => l.Id).Select(l => new { l.Name, Team = l.Team != null ? l.Team.Name : null }).ToListAsync())
            .Select(l => (l.Name, l.Team)).ToList();
    }

    private async Task<IReadOnlyList<string>> TeamNamesAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.Teams.OrderBy(t => t.Name).Select(t => t.Name).ToListAsync();
    }

    [Fact]
    public async Task A_sales_rep_imports_into_their_own_team_only()
    {
        await _database.CreateUserAsync("south.rep@example.com", Roles.Sales, "South");
        var rep = await _database.CreateUserAsync("north.rep@example.com", Roles.Sales, "North");

        var preview = await PreviewAsync("name,team\nOurs,North\nTheirs,South\nNowhere,Atlantis\nNo team,\n", rep);

        string? Problem(int row) => preview.Rows.Single(r => r.Row == row).Errors.SingleOrDefault(e => e.Field == "team")?.Message;
        Assert.Null(Problem(1));
        Assert.Equal("'South' is not one of your teams (North): you can file leads into your own teams only.", Problem(2));
        Assert.Equal("There is no team 'Atlantis', and only an administrator can create one. Your teams: North.", Problem(3));
        Assert.Null(Problem(4));
        Assert.Equal("North", preview.Rows.Single(r => r.Row == 4).Team);
        Assert.Equal(["Goes to your team North."], preview.Rows.Single(r => r.Row == 4).Notes);

        var result = await _database.Get<LeadCsv>().ImportAsync(preview, rep);

        Assert.Equal(2, result.Created);
        Assert.Equal([("Ours", "North"), ("No team", "North")], await LeadsAndTeamsAsync());
        Assert.Equal(["North", "South"], await TeamNamesAsync());
    }

    [Fact]
    public async Task A_rep_in_several_teams_must_name_one_and_one_in_none_cannot_import()
    {
        var twoTeams = await _database.CreateUserAsync("both@example.com", Roles.Sales, "North", "East");
        var noTeam = await _database.CreateUserAsync("alone@example.com", Roles.Sales);

        var choose = await PreviewAsync("name\nAna\n", twoTeams);
        var none = await PreviewAsync("name\nAna\n", noTeam);

        Assert.Equal("Choose a team: you are in East, North.", Assert.Single(choose.Rows[0].Errors).Message);
        Assert.StartsWith("You are in no team", Assert.Single(none.Rows[0].Errors).Message);
    }

    [Fact]
    public async Task A_rep_cannot_give_a_lead_to_an_owner_outside_its_team()
    {
        await _database.CreateUserAsync("south.rep@example.com", Roles.Sales, "South");
        var rep = await _database.CreateUserAsync("north.rep@example.com", Roles.Sales, "North");

        var preview = await PreviewAsync("name,team,ownerEmail\nMine,North,north.rep@example.com\nGiven away,North,south.rep@example.com\n", rep);

        Assert.True(preview.Rows[0].IsValid);
        Assert.Equal("south.rep@example.com is not in team North: a lead's owner works in the lead's team.", Assert.Single(preview.Rows[1].Errors).Message);
    }

    [Fact]
    public async Task Only_an_administrators_import_creates_a_team_and_the_preview_says_so()
    {
        var preview = await PreviewAsync("name,team\nFirst,Atlantis\nSecond,atlantis\n");

        Assert.Equal(["Will create team Atlantis."], preview.Rows[0].Notes);
        Assert.Equal(["Will create team Atlantis."], preview.Rows[1].Notes);
        Assert.Equal([], await TeamNamesAsync());

        Assert.Equal(2, (await _database.Get<LeadCsv>().ImportAsync(preview, LeadAccess.All)).Created);
        Assert.Equal(["Atlantis"], await TeamNamesAsync());
        Assert.Equal([("First", "Atlantis"), ("Second", "Atlantis")], await LeadsAndTeamsAsync());
    }

    [Fact]
    public async Task The_lead_form_and_the_import_refuse_the_same_way_with_the_same_words()
    {
        var rep = await _database.CreateUserAsync("north.rep@example.com", Roles.Sales, "North");
        await _database.CreateUserAsync("south.rep@example.com", Roles.Sales, "South");

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Theirs", Team = "South" }, rep));
        var preview = await PreviewAsync("name,team\nTheirs,South\n", rep);

        Assert.Equal(Assert.Single(refused.Errors), Assert.Single(preview.Rows[0].Errors));
    }

    [Fact]
    public async Task Rows_refused_when_written_are_reported_and_the_others_imported()
    {
        var preview = await PreviewAsync("name,email\nFirst,first@example.com\nSecond,second@example.com\n");
        await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Meanwhile", Email = "second@example.com" }, LeadAccess.All);

        var result = await _database.Get<LeadCsv>().ImportAsync(preview, LeadAccess.All);

        Assert.Equal(1, result.Created);
        var refused = Assert.Single(result.Refused);
        Assert.Equal(2, refused.Row);
        Assert.Matches("^Lead \\d+ already has the email second@example.com.$", Assert.Single(refused.Errors).Message);
    }

    [Fact]
    public async Task An_import_links_and_scores_the_behaviors_waiting_for_its_leads()
    {
        await _database.Get<BehaviorPoints.Core.RuleSets.RuleSetService>().SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 30)));
        await _database.Get<BehaviorPoints.Core.RuleSets.RuleSetService>().PublishAsync("tests");
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var waiting = new[] { ("w1", "ana@example.com"), ("w2", "ana@example.com"), ("w3", "jan@example.com"), ("w4", "nobody@example.com") }
            .Select(e => BehaviorPoints.Core.Behaviors.EventReader.Read(Build.Json(new { eventId = e.Item1, behavior = "form.submit", contact = new { email = e.Item2 } }), now, BehaviorPoints.Core.Engine.BehaviorCatalog.BuiltInOnly).Behavior!)
            .ToList();
        await _database.Get<BehaviorPoints.Core.Scoring.Ledger>().IngestAsync(waiting);

        var preview = await PreviewAsync("name,email,phone\nAna,ANA@example.com,\nJan,jan@example.com,\nLi,li@example.com,+48 600 100 200\n");
        Assert.Equal(3, (await _database.Get<LeadCsv>().ImportAsync(preview, LeadAccess.All)).Created);

        await using var db = await _database.NewContextAsync();
        Assert.Equal([("Ana", 60L), ("Jan", 30L), ("Li", 0L)], (await db.Leads.OrderBy(l => l.Id).Select(l => new { l.Name, l.BehaviorPoints }).ToListAsync()).Select(l => (l.Name, l.BehaviorPoints)));
        Assert.Equal(1, await db.Behaviors.CountAsync(b => b.LeadId == null));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task An_import_writes_its_rows_in_transactions_of_many_rows()
    {
        var rows = Enumerable.Range(1, LeadCsv.RowsPerTransaction + 10).Select(i => $"Lead {i},lead{i}@example.com");
        var preview = await PreviewAsync("name,email\n" + string.Join("\n", rows));
        using var counter = DatabaseActivity.For(_database.Path);

        {
            Assert.Equal(LeadCsv.RowsPerTransaction + 10, (await _database.Get<LeadCsv>().ImportAsync(preview, LeadAccess.All)).Created);
        }

        Assert.Equal(2, counter.Commits);
    }

    [Fact]
    public async Task A_clean_file_previews_every_row_and_writes_nothing_until_imported()
    {
        var preview = await PreviewAsync("Name,Company,Email,Team,Status\nAna García,Acme,ana@example.com,North,qualified\nJan Kowalski,Polbud,jan@example.com,South,\n");

        Assert.Equal(2, preview.ValidCount);
        Assert.Equal(LeadStatus.Qualified, preview.Rows[0].Input.Status);
        await using (var db = await _database.NewContextAsync())
        {
            Assert.Equal(0, await db.Leads.CountAsync());
        }

        Assert.Equal(2, (await _database.Get<LeadCsv>().ImportAsync(preview, LeadAccess.All)).Created);
        await using var after = await _database.NewContextAsync();
        Assert.Equal(["Ana García", "Jan Kowalski"], await after.Leads.OrderBy(l => l.Id).Select(l => l.Name).ToListAsync());
    }

    [Fact]
    public async Task Row_errors_name_the_row_and_the_field()
    {
        await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Existing", Email = "taken@example.com" }, LeadAccess.All);

        var preview = await PreviewAsync(string.Join("\n",
            "name,email,status,ownerEmail",
            "Good Row,good@example.com,open,",
            ",nameless@example.com,,",
            "Bad Status,status@example.com,sleeping,",
            "Taken,taken@example.com,,",
            "Twice,twice@example.com,,",
            "Twice Again,twice@example.com,,",
            "No Owner,owner@example.com,,ghost@example.com",
            "Bad Email,not-an-email,,"));

        string Error(int row, string field) => preview.Rows.Single(r => r.Row == row).Errors.Single(e => e.Field == field).Message;
        Assert.Empty(preview.Rows.Single(r => r.Row == 1).Errors);
        Assert.Equal("Name is required.", Error(2, "name"));
        Assert.Equal("Status 'sleeping' is not open, qualified, converted or lost.", Error(3, "status"));
        Assert.Matches("^Lead \\d+ already has the email taken@example.com.$", Error(4, "email"));
        Assert.Equal("Row 5 already has the email twice@example.com.", Error(6, "email"));
        Assert.Equal("No user has the email ghost@example.com.", Error(7, "ownerEmail"));
        Assert.Equal("'not-an-email' is not an email address.", Error(8, "email"));
        Assert.Equal(2, preview.ValidCount);
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_as_broken_quoting_on_its_row_not_as_a_long_name()
    {
        var preview = await PreviewAsync("name,company\nFine,Acme\n\"Unclosed,Acme\nLost,Beta\nAlso lost,Gamma\n");

        var broken = preview.Rows.Single(r => r.Row == 2);
        var error = Assert.Single(broken.Errors);
        Assert.Equal("row", error.Field);
        Assert.Contains("quoting is broken", error.Message);
        Assert.True(preview.Rows.Single(r => r.Row == 1).IsValid);
        Assert.Equal(1, preview.ValidCount);
        Assert.StartsWith("Row 2 opens a quote that is never closed", Assert.Single(preview.FileErrors));
    }

    [Theory]
    [InlineData("name,company\nFine,Acme\n\"Unclosed,Acme\nLost,Beta\nAlso lost,Gamma\n")]
    [InlineData("name,company\nFine,Acme\nAna,\"Acme\nLost,Beta\nAlso lost,Gamma\n")]
    [InlineData("name,company\r\nFine,Acme\r\nAna,\"Acme\r\nLost,Beta\r\nAlso lost,Gamma")]
    public async Task An_unclosed_quote_says_where_it_opened_and_that_the_rows_after_it_were_not_read(string csv)
    {
        var preview = await PreviewAsync(csv);

        var message = Assert.Single(preview.FileErrors);
        Assert.StartsWith("Row 2 opens a quote that is never closed", message);
        Assert.Contains("the 2 rows after it were not read", message);
        Assert.Equal([1, 2], preview.Rows.Select(r => r.Row));
    }

    [Fact]
    public async Task Unknown_columns_are_listed_as_ignored()
    {
        var preview = await PreviewAsync("name,foo,email,Bar Baz\nAna,1,ana@example.com,2\n");

        Assert.Equal(["foo", "Bar Baz"], preview.IgnoredColumns);
        Assert.True(preview.Rows[0].IsValid);
    }

    [Fact]
    public async Task Broken_quoting_is_reported_on_its_row()
    {
        var preview = await PreviewAsync("name,company\nFine,Acme\n\"Broken \"quote\" here,Acme\nAlso fine,Beta\n");

        var broken = Assert.Single(preview.Rows, r => !r.IsValid);
        Assert.Equal(2, broken.Row);
        Assert.Contains("quoting is broken", Assert.Single(broken.Errors, e => e.Field == "row").Message);
        Assert.Equal(["Fine", "Also fine"], preview.Rows.Where(r => r.IsValid).Select(r => r.Input.Name));
    }

    [Fact]
    public async Task A_file_without_a_name_column_is_refused_whole()
    {
        var preview = await PreviewAsync("company,email\nAcme,a@example.com\n");

        Assert.Empty(preview.Rows);
        Assert.StartsWith("The header row has no name column.", Assert.Single(preview.FileErrors));
    }

    [Fact]
    public async Task Exported_cells_that_look_like_formulas_are_written_as_text()
    {
        var output = new MemoryStream();
        var lead = new LeadView(1, "=HYPERLINK(\"x\")", "Acme, Inc.", null, null, null, null, null, null, LeadStatus.Open, null, null, null, null, 5, "Low", null, DateTime.UtcNow, DateTime.UtcNow, null);

        await LeadCsv.WriteLeadsAsync(new[] { lead }.ToAsyncEnumerable(), output);

        var text = Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF');
        var row = text.Split("\r\n")[1];
        Assert.StartsWith("1,\"'=HYPERLINK(\"\"x\"\")\",\"Acme, Inc.\"", row);
    }

    [Fact]
    public async Task An_import_of_an_export_restores_the_values_the_export_neutralised()
    {
        var output = new MemoryStream();
        var lead = new LeadView(1, "=HYPERLINK(\"x\")", "+48 Sales", null, null, null, null, null, null, LeadStatus.Open, null, null, "-Head of data", "@home", 5, "Low", null, DateTime.UtcNow, DateTime.UtcNow, null);
        await LeadCsv.WriteLeadsAsync(new[] { lead }.ToAsyncEnumerable(), output);
        Assert.Contains("'=HYPERLINK", Encoding.UTF8.GetString(output.ToArray()));

        var preview = await PreviewAsync(Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF'));

        var input = Assert.Single(preview.Rows).Input;
        Assert.Equal("=HYPERLINK(\"x\")", input.Name);
        Assert.Equal("+48 Sales", input.Company);
        Assert.Equal("-Head of data", input.JobTitle);
        Assert.Equal("@home", input.Region);
    }

    [Fact]
    public void Only_a_quote_the_export_added_is_removed()
    {
        Assert.Equal("=1+1", LeadCsv.Unescaped("'=1+1"));
        Assert.Equal("'quoted'", LeadCsv.Unescaped("'quoted'"));
        Assert.Equal("'", LeadCsv.Unescaped("'"));
    }
}
