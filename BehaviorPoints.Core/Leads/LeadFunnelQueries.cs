using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>A lead's score in one category, with the category's level for it when the category has levels.</summary>
public sealed record CategoryScoreView(string Category, long Points, string? Level, IReadOnlyList<string> Levels)
{
    /// <summary>How full the category's bar is, 0 to 100, against <paramref name="scale"/> (the lead's largest category score).</summary>
    public double Percent(long scale) => scale <= 0 ? 0 : Math.Clamp(100.0 * Points / scale, 0, 100);
}

/// <summary>One stay of a lead in a stage: the points written during it, when it began and ended (null: still there).</summary>
public sealed record StageVisitView(int Visit, string Stage, long Points, DateTime EnteredAt, DateTime? LeftAt, StageChangeReason? LeftBy);

/// <summary>
/// What the lead page shows of a lead's categories and stages (SPEC §12): every category with its score, the current
/// stage with its score and the threshold ahead, the path of stages passed with the points earned in each, and the
/// stages a person may move it to.
/// </summary>
public sealed record LeadFunnelView(
    IReadOnlyList<CategoryScoreView> Categories,
    StageVisitView Current,
    (string Stage, long Threshold)? Next,
    IReadOnlyList<StageVisitView> Path,
    IReadOnlyList<string> Stages)
{
    /// <summary>The scale the category bars share: the lead's largest category score (at least 1), so the bars compare.</summary>
    public long CategoryScale => Math.Max(1, Categories.Select(c => c.Points).DefaultIfEmpty(0).Max());
}

/// <summary>Reads a visible lead's categories and stages for the lead page.</summary>
public sealed class LeadFunnelQueries(IDbContextFactory<BehaviorPointsDbContext> dbFactory, PublishedRuleSets publishedRuleSets)
{
    /// <summary>The lead's categories and stages, or null when the lead does not exist or is not visible.</summary>
    public async Task<LeadFunnelView?> GetAsync(long leadId, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.AsNoTracking().VisibleTo(access).Where(l => l.Id == leadId)
            .Select(l => new { l.Stage, l.StageScore, l.StageVisit, l.StageEnteredAt, l.CreatedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (lead is null)
        {
            return null;
        }
        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        var stages = ruleSet?.Stages ?? StagePath.Default;
        var scores = await db.LeadCategoryScores.AsNoTracking().Where(c => c.LeadId == leadId).ToDictionaryAsync(c => c.Category, c => c.Points, cancellationToken);
        var categories = (ruleSet?.Categories ?? [])
            .Select(c => new CategoryScoreView(
                c.Name,
                scores.GetValueOrDefault(c.Name),
                c.Bands?.LevelOf(scores.GetValueOrDefault(c.Name)),
                c.Bands?.Options.Select(o => o.Label).ToList() ?? []))
            .ToList();

        var moves = await db.StageChanges.AsNoTracking().Where(c => c.LeadId == leadId).OrderBy(c => c.Visit).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var path = new List<StageVisitView>();
        var enteredAt = lead.CreatedAt;
        var stage = moves.Count > 0 ? moves[0].From : lead.Stage;
        var visit = 0;
        foreach (var move in moves)
        {
            path.Add(new StageVisitView(visit, stage, move.PointsEarned, enteredAt, move.ChangedAt, move.Reason));
            (stage, enteredAt, visit) = (move.To, move.ChangedAt, move.Visit);
        }
        var current = new StageVisitView(lead.StageVisit, lead.Stage, lead.StageScore, lead.StageEnteredAt ?? enteredAt, null, null);
        var next = stages.IndexOf(lead.Stage) is var at and >= 0 && at < stages.Stages.Count - 1 && stages.Stages[at].AdvanceAt is { } threshold
            ? (stages.Stages[at + 1].Name, threshold)
            : ((string, long)?)null;
        return new LeadFunnelView(categories, current, next, path, [.. stages.Stages.Select(s => s.Name)]);
    }
}
