using System.Text;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Core.Leads;

public sealed class LeadCsvTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private Task<LeadImportPreview> PreviewAsync(string csv) =>
        _database.Get<LeadCsv>().PreviewAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

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

        Assert.Equal(2, await _database.Get<LeadCsv>().ImportAsync(preview));
        await using var after = await _database.NewContextAsync();
        Assert.Equal(["Ana García", "Jan Kowalski"], await after.Leads.OrderBy(l => l.Id).Select(l => l.Name).ToListAsync());
    }

    [Fact]
    public async Task Row_errors_name_the_row_and_the_field()
    {
        await _database.Get<LeadService>().CreateAsync(new LeadInput { Name = "Existing", Email = "taken@example.com" });

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
        Assert.Equal("A lead with the email taken@example.com already exists.", Error(4, "email"));
        Assert.Equal("The email twice@example.com is also on row 5.", Error(6, "email"));
        Assert.Equal("ownerEmail 'ghost@example.com' names no user.", Error(7, "ownerEmail"));
        Assert.Equal("'not-an-email' is not an email address.", Error(8, "email"));
        Assert.Equal(2, preview.ValidCount);
    }

    [Fact]
    public async Task Broken_quoting_is_reported_on_its_row()
    {
        var preview = await PreviewAsync("name,company\nFine,Acme\n\"Broken \"quote\" here,Acme\nAlso fine,Beta\n");

        var broken = preview.Rows.Where(r => r.Errors.Any(e => e.Field == "row")).ToList();
        Assert.NotEmpty(broken);
        Assert.All(broken, r => Assert.Contains("quoting is broken", r.Errors.First(e => e.Field == "row").Message));
        Assert.Contains(preview.Rows, r => r.Input.Name == "Fine" && r.IsValid);
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
}
