using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Re-scores every lead from its stored behaviors under the published version, in the background, after a publish in
/// "re-score every lead" mode (a <see cref="LeadJob"/>). Each lead is rebuilt whole inside one transaction (<see cref="BatchSize"/>
/// leads per transaction, behind the write gate, so ingest interleaves between them and no lead is ever half done):
/// its rule and decay entries move to <see cref="SupersededScoreEntry"/>, the replay's entries, decay steps and limit
/// counts replace them (the new version's fading schedules, as of the re-score),
/// its total becomes the sum of its current entries. The run's position is saved in the same transaction, so after a
/// crash or restart the run continues with the next lead. Behaviors ingested meanwhile are scored
/// under the new version already; a lead re-scored after them replays them once more to the same entries.
/// </summary>
public sealed class Rescoring(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    JobLeases leases,
    PublishedRuleSets publishedRuleSets,
    ILedgerStore store,
    ScoreNotifications notifications,
    ScoreChangeHandlers reactions,
    TimeProvider clock) : LeadJob(dbFactory, unitOfWork, leases, clock)
{
    public const string JobCode = "rescore";
    public const int BatchSize = 50;

    public override string Name => "Re-score";

    protected override string Code => JobCode;

    protected override int LeadsPerTransaction => BatchSize;

    protected override async Task ProcessAsync(WriteScope scope, LeadJobRun run, long firstId, long lastId, DateTime now, CancellationToken cancellationToken)
    {
        var ruleSet = await publishedRuleSets.CurrentAsync(scope.Db, cancellationToken)
            ?? throw new InvalidOperationException("A re-score run exists but nothing is published.");
        var (changed, writes) = await RescoreAsync(scope.Db, store.On(scope.Db), ruleSet, firstId, lastId, now, cancellationToken);
        await reactions.RunAsync(new ScoreChanges(scope, writes, ruleSet, now, ScoreChangeCause.Rescore), cancellationToken);
        await notifications.AnnounceAsync(scope, ScoreNotifications.ChangesOf(changed), cancellationToken);
    }

    // Rebuilds the rule entries, limit counts, totals and levels of a few whole leads in the caller's transaction.
    private static async Task<(IReadOnlyList<Lead> Leads, LedgerWrites Writes)> RescoreAsync(
        BehaviorPointsDbContext db, ILedgerStatements statements, CompiledRuleSet ruleSet, long first, long last, DateTime now, CancellationToken cancellationToken)
    {
        var leads = await db.Leads.AsNoTracking().Where(l => l.Id >= first && l.Id <= last).ToListAsync(cancellationToken);
        var histories = await LeadHistories.LoadAsync(db, first, last, cancellationToken);
        var replaced = (await db.ScoreEntries.AsNoTracking()
                .Where(e => e.LeadId >= first && e.LeadId <= last && e.Kind == ScoreEntryKind.Rule)
                .Select(e => new { e.LeadId, e.OccurredAt, e.BehaviorType, e.RuleName, e.Points })
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.LeadId);

        // Stage history is rebuilt from the new entries; the manual moves people made and the manual adjustments are kept.
        await db.StageChanges.Where(c => c.LeadId >= first && c.LeadId <= last).ExecuteDeleteAsync(cancellationToken);

        // The replaced entries are kept, with the version they belonged to; the lead's old limit counts go.
        await statements.SupersedeRuleEntriesAsync(first, last, now, ruleSet.Version, cancellationToken);

        var writes = new LedgerWrites();
        var bands = PublishedRuleSets.BandsOf(ruleSet);
        var revisited = new List<ScoreEntry>();
        foreach (var lead in leads)
        {
            writes.Track(lead);
            foreach (var old in replaced[lead.Id])
            {
                writes.Uncount(old.OccurredAt, lead.TeamId, old.BehaviorType, old.RuleName, old.Points);
            }
            var replay = LeadReplay.Replay(ruleSet, histories.Behaviors[lead.Id], now);
            var walk = new List<StageReplay.WalkEntry>();
            foreach (var entry in replay.Entries)
            {
                var written = new ScoreEntry
                {
                    LeadId = lead.Id,
                    Kind = ScoreEntryKind.Rule,
                    Points = entry.Points,
                    RuleName = entry.RuleName,
                    RuleSetVersion = ruleSet.Version,
                    BehaviorId = entry.BehaviorId,
                    EventId = entry.EventId,
                    BehaviorType = entry.BehaviorType,
                    OccurredAt = entry.OccurredAt,
                    ScoredAt = now,
                    Category = entry.Category,
                };
                writes.AddEntry(written, lead.TeamId);
                walk.Add(new(written.OccurredAt, written));
                // The new version's fading: steps due by now written (the replay's points hold them), the rest pending.
                walk.AddRange(writes.AddDecays(written, entry.Decay, now).Select(decay => new StageReplay.WalkEntry(written.OccurredAt, decay)));
            }
            foreach (var (ruleName, period, count) in replay.Counts.All)
            {
                writes.Counters.Add(new LimitCounter { LeadId = lead.Id, RuleName = ruleName, Period = period, Count = count });
            }
            var levelBefore = lead.Rescore(replay.RulePoints + histories.ManualPoints(lead.Id), bands, ruleSet.Version, now);
            if (IntentLevelChange.Of(lead, levelBefore, now) is { } change)
            {
                writes.LevelChanges.Add(change);
            }
            var manual = histories.ManualEntries[lead.Id].ToList();
            var visitsBefore = manual.ToDictionary(e => e.Id, e => e.StageVisit);
            StageReplay.Walk(lead, walk.Concat(manual.Select(e => new StageReplay.WalkEntry(e.OccurredAt, e))), histories.ManualMoves[lead.Id], ruleSet.Stages, writes);
            revisited.AddRange(manual.Where(e => e.StageVisit != visitsBefore[e.Id]));
        }
        statements.Write(writes);
        // The manual adjustments that now count in another stage visit: one update per visit number for the batch.
        foreach (var visit in revisited.GroupBy(e => e.StageVisit))
        {
            var ids = visit.Select(e => e.Id).ToList();
            await db.ScoreEntries.Where(e => ids.Contains(e.Id)).ExecuteUpdateAsync(s => s.SetProperty(e => e.StageVisit, visit.Key), cancellationToken);
        }
        // Category scores are sums of the current entries, counted again for these leads.
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM "LeadCategoryScores" WHERE "LeadId" BETWEEN {first} AND {last};
            INSERT INTO "LeadCategoryScores" ("LeadId", "Category", "Points")
            SELECT "LeadId", "Category", SUM("Points") FROM "ScoreEntries"
            WHERE "LeadId" BETWEEN {first} AND {last} AND "Category" IS NOT NULL GROUP BY "LeadId", "Category";
            """, cancellationToken);

        await db.Leads.Where(l => l.Id >= first && l.Id <= last)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RescoredAt, now).SetProperty(l => l.RescoredVersion, ruleSet.Version), cancellationToken);
        // A behavior that matched nothing before may match now, and the other way round.
        await statements.RefreshOutcomesAsync(first, last, cancellationToken);
        return (leads, writes);
    }

}
