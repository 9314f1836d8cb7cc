using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Dashboard;

/// <summary>
/// The managers' dashboard, computed in the database: one grouped scan of a covering lead index for the level counts,
/// the fit × intent grid and conversion; the daily counts a trigger keeps from the intent-level change records for the
/// trend; the daily points roll-up for what earned the most. Nothing is loaded lead by lead.
/// </summary>
public sealed class DashboardService(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    PublishedRuleSets publishedRuleSets,
    PublishedFitModels fitModels,
    BehaviorTypes behaviorTypes)
{
    public const int TopCount = 8;

    public async Task<DashboardData> GetAsync(DashboardFilter filter, LeadAccess access, CancellationToken cancellationToken = default)
    {
        var (levels, total, grid, fitPublished, fieldName) = await LevelsAsync(filter, access, cancellationToken);
        var trend = await TrendAsync(filter, access, cancellationToken);
        var (topBehaviors, topRules) = await TopEarnersAsync(filter, access, cancellationToken);
        return new DashboardData(filter, fieldName, levels, total, grid, fitPublished, trend, topBehaviors, topRules)
        {
            Funnel = await FunnelAsync(filter, access, cancellationToken),
        };
    }

    /// <summary>
    /// Leads hot for each category (from the category scores' index), leads per stage now (the stage index), and the
    /// moves between stages per week of the period (the stage changes' time index).
    /// </summary>
    public async Task<FunnelSummary> FunnelAsync(DashboardFilter filter, LeadAccess access, CancellationToken cancellationToken = default)
    {
        Check(filter, access);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        var stages = ruleSet?.Stages ?? StagePath.Default;
        var leads = db.Leads.AsNoTracking();
        if (filter.TeamId is { } team)
        {
            leads = leads.Where(l => l.TeamId == team);
        }

        var categories = new List<CategoryHotCount>();
        foreach (var category in ruleSet?.Categories ?? [])
        {
            var threshold = category.TopBandMin ?? 1;
            var name = category.Name;
            var hot = db.LeadCategoryScores.AsNoTracking().Where(c => c.Category == name && c.Points >= threshold);
            var count = filter.TeamId is null
                ? await hot.CountAsync(cancellationToken)
                : await hot.Join(leads, c => c.LeadId, l => l.Id, (c, l) => c).CountAsync(cancellationToken);
            categories.Add(new CategoryHotCount(name, category.Bands?.Options[^1].Label, category.TopBandMin, count));
        }

        var perStage = await leads.GroupBy(l => l.Stage).Select(g => new { Stage = g.Key, Leads = g.Count() }).ToDictionaryAsync(g => g.Stage, g => g.Leads, cancellationToken);
        // The path's stages in order, then any stage leads are still in that the path no longer names.
        var stageCounts = stages.Stages.Select(s => new StageCount(s.Name, perStage.GetValueOrDefault(s.Name)))
            .Concat(perStage.Where(p => stages.IndexOf(p.Key) < 0).Select(p => new StageCount(p.Key, p.Value)))
            .ToList();

        var (from, to) = (filter.FirstDay, filter.LastDay.AddDays(1));
        var changes = db.StageChanges.AsNoTracking().Where(c => c.ChangedAt >= from && c.ChangedAt < to);
        if (filter.TeamId is { } changeTeam)
        {
            changes = changes.Where(c => c.TeamId == changeTeam);
        }
        var perDay = await changes.GroupBy(c => new { Day = c.ChangedAt.Date, c.From, c.To })
            .Select(g => new { g.Key.Day, g.Key.From, g.Key.To, Leads = g.Count() })
            .ToListAsync(cancellationToken);
        var flow = perDay
            .GroupBy(d => WeekStart(DateOnly.FromDateTime(d.Day)))
            .OrderBy(w => w.Key)
            .Select(w => new WeeklyStageFlow(w.Key, [.. w.GroupBy(d => (d.From, d.To)).Select(g => new StageFlow(g.Key.From, g.Key.To, g.Sum(d => d.Leads)))
                .OrderBy(f => stages.IndexOf(f.From)).ThenBy(f => stages.IndexOf(f.To))]))
            .ToList();
        return new FunnelSummary(categories, stageCounts, flow);
    }

    /// <summary>Leads per level now, with conversion, and the fit × intent grid: one grouped scan of a covering index.</summary>
    public async Task<(IReadOnlyList<IntentLevelRow> Levels, int Total, FitIntentGrid Grid, bool FitPublished, string? FieldName)> LevelsAsync(
        DashboardFilter filter, LeadAccess access, CancellationToken cancellationToken = default)
    {
        Check(filter, access);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bands = PublishedRuleSets.BandsOf(await publishedRuleSets.CurrentAsync(db, cancellationToken));
        var intentLevels = IntentLevels(bands);
        var fitPublished = await fitModels.CurrentAsync(db, cancellationToken) is not null;
        var snapshot = await SnapshotAsync(db, filter.TeamId, cancellationToken);
        var (levels, total) = LevelRows(snapshot, intentLevels);
        return (levels, total, Grid(snapshot, intentLevels), fitPublished, bands?.FieldName);
    }

    /// <summary>Leads entering each level per week of the period, from the daily counts the change records keep.</summary>
    public async Task<IReadOnlyList<WeeklyLevelEntries>> TrendAsync(DashboardFilter filter, LeadAccess access, CancellationToken cancellationToken = default)
    {
        Check(filter, access);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var intentLevels = IntentLevels(PublishedRuleSets.BandsOf(await publishedRuleSets.CurrentAsync(db, cancellationToken)));
        var (from, to) = (filter.FirstDay, filter.LastDay);
        var daily = db.DailyLevelEntries.AsNoTracking().Where(d => d.Day >= from && d.Day <= to);
        if (filter.TeamId is { } team)
        {
            daily = daily.Where(d => d.TeamId == team);
        }
        var perDay = await daily
            .GroupBy(d => new { d.Day, d.Level })
            .Select(g => new { g.Key.Day, g.Key.Level, Count = g.Sum(d => d.Count) })
            .ToListAsync(cancellationToken);

        var weeks = new List<WeeklyLevelEntries>();
        for (var week = WeekStart(filter.From); week <= filter.To; week = week.AddDays(7))
        {
            var (start, end) = (week, week.AddDays(7));
            var entered = intentLevels.ToDictionary(level => level, level => perDay
                .Where(d => d.Level == level && DateOnly.FromDateTime(d.Day) >= start && DateOnly.FromDateTime(d.Day) < end)
                .Sum(d => d.Count));
            weeks.Add(new WeeklyLevelEntries(week, entered));
        }
        return weeks;
    }

    /// <summary>The behavior types and rules whose entries earned the most points in the period, from the daily roll-up.</summary>
    public async Task<(IReadOnlyList<PointsEarned> Behaviors, IReadOnlyList<PointsEarned> Rules)> TopEarnersAsync(
        DashboardFilter filter, LeadAccess access, CancellationToken cancellationToken = default)
    {
        Check(filter, access);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var catalog = await behaviorTypes.CatalogAsync(cancellationToken);
        var (from, to) = (filter.FirstDay, filter.LastDay);
        var daily = db.DailyPoints.AsNoTracking().Where(d => d.Day >= from && d.Day <= to);
        if (filter.TeamId is { } team)
        {
            daily = daily.Where(d => d.TeamId == team);
        }

        var byBehavior = await daily.GroupBy(d => d.BehaviorType)
            .Select(g => new { g.Key, Points = g.Sum(d => d.Points), Entries = g.Sum(d => d.Entries) })
            .OrderByDescending(g => g.Points).ThenBy(g => g.Key)
            .Take(TopCount)
            .ToListAsync(cancellationToken);
        var byRule = await daily.GroupBy(d => d.RuleName)
            .Select(g => new { g.Key, Points = g.Sum(d => d.Points), Entries = g.Sum(d => d.Entries) })
            .OrderByDescending(g => g.Points).ThenBy(g => g.Key)
            .Take(TopCount)
            .ToListAsync(cancellationToken);

        var behaviors = byBehavior.Select(b =>
        {
            var type = catalog.Find(b.Key);
            return new PointsEarned(b.Key, type?.Label ?? b.Key, type?.Channel, b.Points, b.Entries);
        }).ToList();
        var rules = byRule.Select(r => new PointsEarned(r.Key, r.Key, null, r.Points, r.Entries)).ToList();
        return (behaviors, rules);
    }

    private static void Check(DashboardFilter filter, LeadAccess access)
    {
        if (!access.SeesAll)
        {
            throw new NotAllowedException("The dashboard is for managers and administrators.");
        }
        if (filter.To < filter.From)
        {
            throw new ValidationFailedException("to", "The period ends ({0:yyyy-MM-dd}) before it starts ({1:yyyy-MM-dd}).", filter.To, filter.From);
        }
        if (filter.To.DayNumber - filter.From.DayNumber + 1 > DashboardFilter.MaxDays)
        {
            throw new ValidationFailedException("from", "The period is at most {0} days long.", DashboardFilter.MaxDays);
        }
    }

    private static List<string> IntentLevels(IntentBands? bands) => bands?.Options.Select(o => o.Label).ToList() ?? [];

    private sealed record SnapshotRow(string? IntentLevel, string? FitLevel, LeadStatus Status, int Count);

    // Leads per (intent level, fit level, status) from the kept counts: a few hundred rows whatever the number of leads.
    private static async Task<List<SnapshotRow>> SnapshotAsync(BehaviorPointsDbContext db, int? teamId, CancellationToken cancellationToken)
    {
        var rows = await db.VisibleCounts(LeadAccess.All, teamId)
            .GroupBy(c => new { c.IntentLevel, c.FitLevel, c.Status })
            .Select(g => new { g.Key.IntentLevel, g.Key.FitLevel, g.Key.Status, Count = g.Sum(c => c.Count) })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new SnapshotRow(r.IntentLevel.Length == 0 ? null : r.IntentLevel, r.FitLevel.Length == 0 ? null : r.FitLevel, r.Status, r.Count))];
    }

    private static (IReadOnlyList<IntentLevelRow> Rows, int Total) LevelRows(List<SnapshotRow> snapshot, IReadOnlyList<string> intentLevels)
    {
        var total = snapshot.Sum(r => r.Count);
        var counts = intentLevels.Select(level => snapshot.Where(r => r.IntentLevel == level).ToList()).ToList();
        var percents = WholePercents.Of(counts.Select(inLevel => (long)inLevel.Sum(r => r.Count)).ToList());
        var rows = intentLevels.Select((level, i) =>
        {
            var count = counts[i].Sum(r => r.Count);
            var converted = counts[i].Where(r => r.Status == LeadStatus.Converted).Sum(r => r.Count);
            return new IntentLevelRow(level, count, total == 0 ? 0 : (double)count / total, converted, percents[i]);
        }).ToList();
        return (rows, total);
    }

    private static FitIntentGrid Grid(List<SnapshotRow> snapshot, List<string> intentLevels)
    {
        var fitLevels = FitLevels.All.Reverse().ToList();
        var counts = new int[fitLevels.Count, intentLevels.Count];
        var notScored = 0;
        foreach (var row in snapshot)
        {
            var fit = row.FitLevel is null ? -1 : fitLevels.IndexOf(row.FitLevel);
            var intent = row.IntentLevel is null ? -1 : intentLevels.IndexOf(row.IntentLevel);
            if (fit < 0)
            {
                notScored += row.Count;
            }
            else if (intent >= 0)
            {
                counts[fit, intent] += row.Count;
            }
        }
        return new FitIntentGrid(fitLevels, intentLevels, counts, notScored);
    }

    /// <summary>Monday of the week <paramref name="day"/> is in.</summary>
    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
