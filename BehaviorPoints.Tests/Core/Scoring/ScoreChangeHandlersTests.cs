using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

/// <summary>
/// What happens after a score changes is one ordered list of handlers: a new reaction is one class and one line of
/// registration, and it is called once per transaction by every write path, inside the transaction.
/// </summary>
public sealed class ScoreChangeHandlersTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;
    private readonly Recorder _recorder = new();

    // Visits +5, gone after 30 days; forms +60; Cold below 60, Hot from 60.
    private static readonly RuleSetDefinition s_rules = RuleSet(Rule("Visit", "website.visit", 5).Fading((30, 0)), Rule("Submit form", "form.submit", 60)) with
    {
        IntentField = new IntentFieldDefinition { Name = "Heat", Options = [new() { Label = "Cold", Max = 59 }, new() { Label = "Hot", Min = 60 }] },
    };

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync(services =>
    {
        services.AddSingleton(_recorder);
        services.AddScoreChangeHandler<RecordingHandler>();
    });

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DateTime Now => _database.Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public void A_handler_registered_with_one_line_runs_after_the_built_in_ones_in_registration_order()
    {
        var order = _database.Get<ScoreChangeHandlers>().InOrder.Select(h => h.GetType()).ToList();

        Assert.Equal([typeof(ScoreChangeEvents), typeof(LeadRouter), typeof(RecordingHandler)], order);
    }

    [Fact]
    public async Task Every_write_path_calls_the_handlers_once_per_transaction_with_the_whole_batch()
    {
        await PublishAsync(s_rules);
        var first = await CreateLeadAsync("Li Wei", "li.wei@example.com");
        var second = await CreateLeadAsync("Ana Souza", "ana@example.com");
        _recorder.Calls.Clear();

        // One ingest transaction for three events of two leads.
        await SendAsync(Event("e1", "website.visit", first), Event("e2", "form.submit", first), Event("e3", "website.visit", second));
        // A manual adjustment.
        await _database.Get<Ledger>().AdjustAsync(second, 3, "Called us", "tests", LeadAccess.All);
        // A behavior waiting for a contact, linked when the lead is created.
        await SendAsync(new { eventId = "e4", behavior = "form.submit", contact = new { email = "wang.fang@example.com" }, occurredAt = Now.ToString("O") });
        var third = await CreateLeadAsync("Wang Fang", "wang.fang@example.com");
        // The visits' fading.
        _database.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(2, await _database.Get<Fading>().RunAsync());
        // A re-score of every lead.
        await PublishAsync(s_rules with { Rules = [.. s_rules.Rules, Rule("Second visit rule", "website.visit", 1)] }, PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        Assert.Equal(
            [
                (ScoreChangeCause.Ingest, new[] { first, second }),
                (ScoreChangeCause.Adjustment, [second]),
                (ScoreChangeCause.Linking, [third]),
                (ScoreChangeCause.Fading, [first, second]),
                (ScoreChangeCause.Rescore, [first, second, third]),
            ],
            _recorder.Calls.Select(c => (c.Cause, c.Leads)).ToList(),
            new CallComparer());
    }

    [Fact]
    public async Task A_handler_sees_the_leads_before_and_after_the_change_and_the_entries_written()
    {
        await PublishAsync(s_rules);
        var lead = await CreateLeadAsync("Li Wei", "li.wei@example.com");
        _recorder.Calls.Clear();

        await SendAsync(Event("e1", "form.submit", lead));

        var call = Assert.Single(_recorder.Calls);
        Assert.Equal((0L, "Cold", 60L, "Hot"), (call.PointsBefore[0], call.LevelBefore[0], call.PointsAfter[0], call.LevelAfter[0]));
        Assert.Equal(["Submit form"], call.RuleNames);
    }

    [Fact]
    public async Task What_a_handler_does_commits_with_the_scores_and_a_failing_handler_rolls_the_scores_back()
    {
        await PublishAsync(s_rules);
        var lead = await CreateLeadAsync("Li Wei", "li.wei@example.com");
        _recorder.FailWith = "the handler refused";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(Event("e1", "form.submit", lead)));

        Assert.Equal("the handler refused", error.Message);
        await using (var db = await _database.NewContextAsync())
        {
            Assert.Equal(0, (await db.Leads.SingleAsync(l => l.Id == lead)).BehaviorPoints);
            Assert.False(await db.Behaviors.AnyAsync());
            Assert.False(await db.ScoreEntries.AnyAsync());
        }

        _recorder.FailWith = null;
        await SendAsync(Event("e1", "form.submit", lead));

        await using (var db = await _database.NewContextAsync())
        {
            // The handler's own row (a timeline activity) committed in the scoring transaction.
            Assert.Equal(60, (await db.Leads.SingleAsync(l => l.Id == lead)).BehaviorPoints);
            Assert.Equal("Recorded by the test handler", (await db.LeadActivities.SingleAsync(a => a.LeadId == lead)).Reason);
        }
    }

    private async Task PublishAsync(RuleSetDefinition definition, PublishMode mode = PublishMode.NewBehaviorsOnly)
    {
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(definition);
        await ruleSets.PublishAsync("tests", mode);
    }

    private async Task<long> CreateLeadAsync(string name, string email) =>
        (await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = name, Email = email }, LeadAccess.All)).Id;

    private object Event(string eventId, string behavior, long leadId) =>
        new { eventId, behavior, leadId, occurredAt = Now.ToString("O") };

    private async Task SendAsync(params object[] events)
    {
        var batch = events.Select(e => EventReader.Read(Json(e), Now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        await _database.Get<Ledger>().IngestAsync(batch);
    }

    internal sealed record Call(
        ScoreChangeCause Cause, long[] Leads, long[] PointsBefore, string?[] LevelBefore, long[] PointsAfter, string?[] LevelAfter, string[] RuleNames);

    internal sealed class Recorder
    {
        public List<Call> Calls { get; } = [];
        public string? FailWith { get; set; }
    }

    // The whole reaction: one class (and one registration line in the test's set-up).
    internal sealed class RecordingHandler(Recorder recorder) : IScoreChangeHandler
    {
        public async Task HandleAsync(ScoreChanges changes, CancellationToken cancellationToken)
        {
            var leads = changes.Writes.Leads.OrderBy(l => l.Key.Id).ToList();
            recorder.Calls.Add(new Call(
                changes.Cause,
                [.. leads.Select(l => l.Key.Id)],
                [.. leads.Select(l => l.Value.Points)],
                [.. leads.Select(l => l.Value.Level)],
                [.. leads.Select(l => l.Key.BehaviorPoints)],
                [.. leads.Select(l => l.Key.IntentLevel)],
                [.. changes.Writes.Entries.Select(e => e.RuleName)]));
            if (recorder.FailWith is { } message)
            {
                throw new InvalidOperationException(message);
            }
            if (changes.Cause == ScoreChangeCause.Ingest)
            {
                changes.Scope.Db.LeadActivities.Add(new LeadActivity
                {
                    LeadId = leads[0].Key.Id, Kind = LeadActivityKind.Claimed, At = changes.Now, Reason = "Recorded by the test handler",
                });
                await changes.Scope.Db.SaveChangesAsync(cancellationToken);
            }
        }
    }

    private sealed class CallComparer : IEqualityComparer<(ScoreChangeCause, long[])>
    {
        public bool Equals((ScoreChangeCause, long[]) x, (ScoreChangeCause, long[]) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);

        public int GetHashCode((ScoreChangeCause, long[]) obj) => obj.Item1.GetHashCode();
    }
}
