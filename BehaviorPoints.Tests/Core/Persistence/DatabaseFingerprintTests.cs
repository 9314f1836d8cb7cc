using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Core.Persistence;

/// <summary>
/// The fingerprint the fuzz and hostile-input suites compare before and after a refused request: it sees a change to
/// any field of any row (not only a row more or less), names the table, and leaves out the columns it is told to.
/// </summary>
public sealed class DatabaseFingerprintTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_changed_field_of_one_row_changes_its_table_s_hash_and_an_ignored_column_does_not()
    {
        var lead = await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Ada", Team = "North" }, LeadAccess.All);
        var before = await FingerprintAsync(ignored: "Teams.Name");

        await using (var db = await _database.NewContextAsync())
        {
            await db.Leads.Where(l => l.Id == lead.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.JobTitle, "CTO"));
            await db.Teams.ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, "South"));
        }

        Assert.Equal(["Leads"], (await FingerprintAsync(ignored: "Teams.Name")).ChangedSince(before));
        Assert.Contains("Teams", (await FingerprintAsync(ignored: "")).ChangedSince(await FingerprintAsync(ignored: "Teams.Name")));
    }

    private async Task<DatabaseFingerprint> FingerprintAsync(string ignored)
    {
        await using var db = await _database.NewContextAsync();
        return await DatabaseFingerprint.OfAsync(db, new HashSet<string> { ignored });
    }
}
