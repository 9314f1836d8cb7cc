using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Dashboard;

/// <summary>One intent option with the number of visible leads in it and their share as a whole percentage (the levels' add up to 100).</summary>
public sealed record IntentLevelCount(string Label, long? Min, long? Max, int Count, int Percent);

/// <summary>The first screen's numbers.</summary>
public sealed record OverviewData(
    string? IntentFieldName,
    IReadOnlyList<IntentLevelCount> Levels,
    int TotalLeads,
    int? PublishedVersion,
    int BehaviorsLast7Days,
    int UnlinkedBehaviors);

/// <summary>Computes the overview in a few grouped queries; nothing is loaded lead by lead.</summary>
public sealed class OverviewService(IDbContextFactory<BehaviorPointsDbContext> dbFactory, PublishedRuleSets publishedRuleSets, LeadQueries leads, TimeProvider clock)
{
    public async Task<OverviewData> GetAsync(LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        var bands = PublishedRuleSets.BandsOf(ruleSet);
        var counts = await leads.CountByIntentLevelAsync(access, cancellationToken);
        var options = bands?.Options ?? [];
        var percents = WholePercents.Of(options.Select(o => (long)counts.GetValueOrDefault(o.Label)).ToList());
        var levels = options.Select((o, i) => new IntentLevelCount(o.Label, o.Min, o.Max, counts.GetValueOrDefault(o.Label), percents[i])).ToList();

        var total = await db.VisibleCounts(access).SumAsync(c => c.Count, cancellationToken);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-7);
        var recent = await db.Behaviors.Where(b => b.OccurredAt >= since && b.LeadId != null)
            .OfLeadsVisibleTo(db.Leads, access, b => b.LeadId!.Value)
            .CountAsync(cancellationToken);
        var unlinked = access.SeesAll ? await db.Behaviors.CountAsync(b => b.Outcome == BehaviorOutcome.Unlinked, cancellationToken) : 0;
        return new OverviewData(bands?.FieldName, levels, total, ruleSet?.Version, recent, unlinked);
    }
}
