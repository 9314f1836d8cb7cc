using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Re-scores every lead from its stored behaviors under the published version, in the background, after a publish in
/// "re-score every lead" mode. Each lead is rebuilt whole inside one transaction (<see cref="LeadsPerTransaction"/>
/// leads per transaction, behind the write gate, so ingest interleaves between them and no lead is ever half done):
/// its rule entries move to <see cref="SupersededScoreEntry"/>, the replay's entries and limit counts replace them,
/// its total becomes the sum of its current entries. The run's position is saved in the same transaction, so after a
/// crash or restart <see cref="RunAsync"/> continues with the next lead. Behaviors ingested meanwhile are scored
/// under the new version already; a lead re-scored after them replays them once more to the same entries.
/// </summary>
public sealed class Rescoring(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    PublishedRuleSets publishedRuleSets,
    WriteGate writeGate,
    ScoreNotifications notifications,
    TimeProvider clock) : BackgroundJob
{
    public const int LeadsPerTransaction = 50;

    public override string Name => "Re-score";

    /// <summary>Opens a run for <paramref name="version"/> inside the publish transaction; an unfinished older run is closed.</summary>
    internal static async Task StartAsync(BehaviorPointsDbContext db, int version, string? startedBy, DateTime now, CancellationToken cancellationToken)
    {
        await db.RescoreRuns.Where(r => r.FinishedAt == null).ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, now), cancellationToken);
        var total = await db.Leads.CountAsync(cancellationToken);
        db.RescoreRuns.Add(new RescoreRun { Version = version, StartedAt = now, StartedBy = startedBy, Total = total });
    }

    /// <summary>Continues the unfinished run, if any, to its end; returns how many leads this call re-scored.</summary>
    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        RescoreRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            run = await db.RescoreRuns.AsNoTracking().Where(r => r.FinishedAt == null).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        }
        if (run is null)
        {
            return 0;
        }

        var progress = new JobProgress(run.Version, run.Done, run.Total, run.StartedAt, null);
        Report(progress);
        var rescored = 0;
        while (true)
        {
            IReadOnlyList<Lead> changed;
            using (await writeGate.EnterAsync(cancellationToken))
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var state = await db.RescoreRuns.SingleAsync(r => r.Id == run.Id, cancellationToken);
                if (state.FinishedAt is not null)
                {
                    // A newer publish replaced this run; its own run takes over.
                    return rescored;
                }

                var now = clock.GetUtcNow().UtcDateTime;
                var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken)
                    ?? throw new InvalidOperationException("A re-score run exists but nothing is published.");
                var leadIds = await db.Leads.AsNoTracking().Where(l => l.Id > state.LastLeadId).OrderBy(l => l.Id).Select(l => l.Id)
                    .Take(LeadsPerTransaction).ToListAsync(cancellationToken);
                if (leadIds.Count == 0)
                {
                    state.FinishedAt = now;
                    state.Total = state.Done;
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    Report(progress with { Done = state.Done, Total = state.Total, FinishedAt = now });
                    return rescored;
                }

                // The ids are consecutive in the table (the next ones after the run's position), so a range holds exactly them.
                changed = await RescoreAsync(db, ruleSet, leadIds[0], leadIds[^1], now, cancellationToken);
                state.LastLeadId = leadIds[^1];
                state.Done += leadIds.Count;
                state.Total = Math.Max(state.Total, state.Done);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                rescored += leadIds.Count;
                progress = progress with { Done = state.Done, Total = state.Total };
            }
            notifications.Publish(changed.Select(l => new LeadScoreChanged(l.Id, l.BehaviorPoints, l.IntentLevel)).ToList());
            Report(progress);
        }
    }

    // Rebuilds the rule entries, limit counts, totals and levels of a few whole leads in the caller's transaction.
    private static async Task<IReadOnlyList<Lead>> RescoreAsync(
        BehaviorPointsDbContext db, CompiledRuleSet ruleSet, long first, long last, DateTime now, CancellationToken cancellationToken)
    {
        var leads = await db.Leads.AsNoTracking().Where(l => l.Id >= first && l.Id <= last).ToListAsync(cancellationToken);
        var histories = await LeadHistories.LoadAsync(db, first, last, cancellationToken);
        var replaced = (await db.ScoreEntries.AsNoTracking()
                .Where(e => e.LeadId >= first && e.LeadId <= last && e.Kind == ScoreEntryKind.Rule)
                .Select(e => new { e.LeadId, e.OccurredAt, e.BehaviorType, e.RuleName, e.Points })
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.LeadId);

        // The replaced entries are kept, with the version they belonged to; the lead's old limit counts go.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "SupersededScoreEntries" ("EntryId", "LeadId", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", "SupersededAt", "SupersededByVersion")
            SELECT "Id", "LeadId", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", {2}, {3}
            FROM "ScoreEntries" WHERE "Kind" = 'Rule' AND "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "ScoreEntries" WHERE "Kind" = 'Rule' AND "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "LimitCounters" WHERE "LeadId" BETWEEN {0} AND {1};
            """, [first, last, now, ruleSet.Version], cancellationToken);

        var writes = new LedgerWrites();
        var bands = PublishedRuleSets.BandsOf(ruleSet);
        foreach (var lead in leads)
        {
            foreach (var old in replaced[lead.Id])
            {
                writes.Uncount(old.OccurredAt, lead.TeamId, old.BehaviorType, old.RuleName, old.Points);
            }
            var replay = LeadReplay.Replay(ruleSet, histories.Behaviors[lead.Id]);
            foreach (var entry in replay.Entries)
            {
                writes.AddEntry(new ScoreEntry
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
                }, lead.TeamId);
            }
            foreach (var (ruleName, period, count) in replay.Counts.All)
            {
                writes.Counters.Add(new LimitCounter { LeadId = lead.Id, RuleName = ruleName, Period = period, Count = count });
            }
            writes.Track(lead);
            var levelBefore = lead.Rescore(replay.RulePoints + histories.ManualPoints.GetValueOrDefault(lead.Id), bands, ruleSet.Version, now);
            if (IntentLevelChange.Of(lead, levelBefore, now) is { } change)
            {
                writes.LevelChanges.Add(change);
            }
        }
        writes.Flush(db.Database.GetDbConnection());

        await db.Leads.Where(l => l.Id >= first && l.Id <= last)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RescoredAt, now).SetProperty(l => l.RescoredVersion, ruleSet.Version), cancellationToken);
        // A behavior that matched nothing before may match now, and the other way round.
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE "Behaviors" SET "Outcome" = CASE WHEN EXISTS (SELECT 1 FROM "ScoreEntries" e WHERE e."BehaviorId" = "Behaviors"."Id") THEN 'Scored' ELSE 'NoMatch' END
            WHERE "LeadId" BETWEEN {0} AND {1};
            """, [first, last], cancellationToken);
        return leads;
    }

}
