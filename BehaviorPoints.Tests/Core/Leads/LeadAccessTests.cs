using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Core.Leads;

public sealed class LeadAccessTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;
    private LeadView _north = null!;
    private LeadView _south = null!;
    private LeadAccess _northRep = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        var commands = _database.Get<LeadCommands>();
        _north = await commands.CreateAsync(new LeadInput { Name = "North lead", Team = "North" }, LeadAccess.All);
        _south = await commands.CreateAsync(new LeadInput { Name = "South lead", Team = "South" }, LeadAccess.All);
        _northRep = LeadAccess.Teams([_north.TeamId!.Value]);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_sales_rep_sees_only_their_teams_leads_in_every_query()
    {
        var commands = _database.Get<LeadCommands>();
        var queries = _database.Get<LeadQueries>();
        var history = _database.Get<ScoreHistory>();

        Assert.Equal(["North lead"], (await queries.ListAsync(new LeadQuery(), _northRep)).Leads.Select(l => l.Name));
        Assert.Null(await queries.FindAsync(_south.Id, _northRep));
        Assert.Null(await history.GetScoreAsync(_south.Id, _northRep));
        Assert.Empty(await history.GetDailyTotalsAsync(_south.Id, _northRep, 90));
        Assert.Null(await commands.UpdateAsync(_south.Id, new LeadInput { Name = "Renamed" }, _northRep));
        Assert.Null(await _database.Get<Ledger>().AdjustAsync(_south.Id, 5, "Because", "rep", _northRep));
        Assert.Equal(1, (await queries.CountByIntentLevelAsync(_northRep)).Values.Sum());
    }

    [Fact]
    public async Task Messages_about_the_owner_say_owner_as_the_form_does_not_the_apis_field_name()
    {
        var commands = _database.Get<LeadCommands>();

        var unknown = await Assert.ThrowsAsync<ValidationFailedException>(() => commands.CreateAsync(new LeadInput { Name = "x", OwnerEmail = "ghost@example.com" }, LeadAccess.All));
        var tooLong = await Assert.ThrowsAsync<ValidationFailedException>(() => commands.CreateAsync(new LeadInput { Name = "x", OwnerEmail = new string('a', 321) }, LeadAccess.All));

        var errors = unknown.Errors.Concat(tooLong.Errors).ToList();
        Assert.Equal(["ownerEmail", "ownerEmail"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.DoesNotContain("ownerEmail", e.Message));
        Assert.Equal("Owner's email is 321 characters long; the limit is 320.", tooLong.Errors[0].Message);
    }

    [Fact]
    public async Task A_manager_sees_every_lead_but_edits_only_their_teams()
    {
        var manager = await _database.Get<LeadAccessService>().ForUserAsync("no-such-user", [Roles.Manager]);

        Assert.NotNull(await _database.Get<LeadQueries>().FindAsync(_south.Id, manager));
        await Assert.ThrowsAsync<NotAllowedException>(() => _database.Get<Ledger>().AdjustAsync(_south.Id, 5, "Because", "manager", manager));
    }

    [Fact]
    public async Task A_manual_adjustment_is_one_more_entry_with_its_reason_and_author()
    {
        var changed = await _database.Get<Ledger>().AdjustAsync(_north.Id, 70, " Met at the trade fair ", "rep@example.com", _northRep);

        Assert.Equal(70, changed!.Total);
        Assert.Equal("Medium", changed.IntentLevel);
        var entry = Assert.Single((await _database.Get<ScoreHistory>().GetScoreAsync(_north.Id, _northRep))!.Entries);
        Assert.Equal(("Manual adjustment", "Met at the trade fair", "rep@example.com"), (entry.RuleName, entry.Reason, entry.CreatedBy));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
        await using var db = await _database.NewContextAsync();
        Assert.Equal(1, await db.IntentLevelChanges.CountAsync(c => c.LeadId == _north.Id && c.To == "Medium"));
    }

    [Theory]
    [InlineData(0, "reason", "points")]
    [InlineData(10_001, "reason", "points")]
    [InlineData(5, "  ", "reason")]
    public async Task An_adjustment_needs_non_zero_points_and_a_reason(int points, string reason, string field)
    {
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => _database.Get<Ledger>().AdjustAsync(_north.Id, points, reason, "rep", _northRep));

        Assert.Contains(refused.Errors, e => e.Field == field);
    }

    [Fact]
    public async Task Notifications_reach_subscribers_of_the_lead_only_until_they_unsubscribe()
    {
        var notifications = _database.Get<ScoreNotifications>();
        var received = new List<LeadScoreChanged>();
        var got = new TaskCompletionSource();
        var subscription = notifications.Subscribe(_north.Id, change =>
        {
            lock (received) { received.Add(change); }
            got.TrySetResult();
            return Task.CompletedTask;
        });

        await _database.Get<Ledger>().AdjustAsync(_south.Id, 5, "Other lead", "admin", LeadAccess.All);
        var adjusted = await _database.Get<Ledger>().AdjustAsync(_north.Id, 5, "This lead", "admin", LeadAccess.All);
        await got.Task.WaitAsync(TimeSpan.FromSeconds(5));
        subscription.Dispose();
        // A page still open on the lead is the positive signal that the next change was published.
        var stillOpen = new TaskCompletionSource<LeadScoreChanged>();
        using var other = notifications.Subscribe(_north.Id, change => { stillOpen.TrySetResult(change); return Task.CompletedTask; });
        await _database.Get<Ledger>().AdjustAsync(_north.Id, 5, "After unsubscribing", "admin", LeadAccess.All);
        Assert.Equal(10, (await stillOpen.Task.WaitAsync(TimeSpan.FromSeconds(5))).Total);

        lock (received)
        {
            Assert.Equal([new LeadScoreChanged(_north.Id, 5, "Low", adjusted!.Entry.Id)], received);
        }
    }

    [Fact]
    public async Task Exports_stream_every_visible_lead_across_pages_in_the_order_they_were_created()
    {
        var commands = _database.Get<LeadCommands>();
        var queries = _database.Get<LeadQueries>();
        for (var i = LeadQueries.MaxPageSize + 5; i > 0; i--)
        {
            await commands.CreateAsync(new LeadInput { Name = $"Export {i:D3}", Team = "North" }, LeadAccess.All);
        }
        await commands.CreateAsync(new LeadInput { Name = "Export of the South", Team = "South" }, LeadAccess.All);

        var streamed = new List<string>();
        await foreach (var lead in queries.StreamAsync(new LeadQuery { Search = "Export", Sort = LeadSort.NameAsc }, _northRep))
        {
            streamed.Add(lead.Name);
        }

        Assert.Equal(LeadQueries.MaxPageSize + 5, streamed.Count);
        Assert.Equal(streamed.OrderDescending(StringComparer.Ordinal), streamed);
        Assert.Equal((await queries.ListAsync(new LeadQuery { Search = "Export" }, _northRep)).TotalCount, streamed.Count);
    }
}
