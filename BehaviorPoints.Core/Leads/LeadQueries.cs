using System.Linq.Expressions;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>Reads leads as the list, the lead page and exports show them, only those the reader may see.</summary>
public sealed class LeadQueries(IDbContextFactory<BehaviorPointsDbContext> dbFactory, PublishedRuleSets publishedRuleSets, ILeadSearch search)
{
    public const int MaxPageSize = 500;

    public async Task<LeadView?> FindAsync(long id, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Leads.AsNoTracking().VisibleTo(access).Where(l => l.Id == id).Select(ToView).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<LeadPage> ListAsync(LeadQuery query, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            return await ListByCategoryAsync(db, query, access, cancellationToken);
        }
        var leads = Filtered(db, query, access);
        // Counting a million rows for the pager costs more than the page; the kept counts answer without the rows.
        var total = LeadCountQueries.Countable(query) ? await db.CountAsync(query, access, cancellationToken) : await leads.CountAsync(cancellationToken);
        var page = await Page(leads, query).ToListAsync(cancellationToken);
        return new LeadPage(page, total);
    }

    /// <summary>The intent levels in force, lowest range first (empty when the rule set has no intent field).</summary>
    public async Task<IReadOnlyList<string>> IntentLevelsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bands = PublishedRuleSets.BandsOf(await publishedRuleSets.CurrentAsync(db, cancellationToken));
        return bands?.Options.Select(o => o.Label).ToList() ?? [];
    }

    /// <summary>The published rule set's categories and stages (the default stages before anything is published).</summary>
    public async Task<(IReadOnlyList<CompiledCategory> Categories, StagePath Stages)> CategoriesAndStagesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        return (ruleSet?.Categories ?? [], ruleSet?.Stages ?? StagePath.Default);
    }

    /// <summary>Every lead matching a filter, in the order they were created, a page at a time, for exports (never all in memory at once).</summary>
    public async IAsyncEnumerable<LeadView> StreamAsync(LeadQuery query, LeadAccess access, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // In the order leads were created, by keyset: no count per page, and the last page costs what the first did.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var page in Filtered(db, query, access).BatchesAsync(ToView, l => l.Id, MaxPageSize, cancellationToken))
        {
            foreach (var lead in page)
            {
                yield return lead;
            }
        }
    }

    /// <summary>Counts leads per intent level (one grouped query); levels without leads are absent.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByIntentLevelAsync(LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.VisibleCounts(access)
            .Where(c => c.IntentLevel != "")
            .GroupBy(c => c.IntentLevel)
            .Select(g => new { Level = g.Key, Count = g.Sum(c => c.Count) })
            .ToDictionaryAsync(g => g.Level, g => g.Count, cancellationToken);
    }

    // From the category's scores (an index on category and points) to the leads: at least N in a category among a
    // million leads reads only the leads that have it. The page is read as ids first, then those leads.
    private async Task<LeadPage> ListByCategoryAsync(BehaviorPointsDbContext db, LeadQuery query, LeadAccess access, CancellationToken cancellationToken)
    {
        var category = query.Category!.Trim();
        var min = query.MinCategoryScore ?? long.MinValue;
        var rows = from s in db.LeadCategoryScores.AsNoTracking()
                   where s.Category == category && s.Points >= min
                   join l in Filtered(db, query, access) on s.LeadId equals l.Id
                   select new { Lead = l, s.Points };
        var total = await rows.CountAsync(cancellationToken);
        var ordered = query.Sort switch
        {
            LeadSort.ScoreAsc => rows.OrderBy(r => r.Lead.BehaviorPoints).ThenBy(r => r.Lead.Id),
            LeadSort.ScoreDesc => rows.OrderByDescending(r => r.Lead.BehaviorPoints).ThenBy(r => r.Lead.Id),
            LeadSort.NameAsc => rows.OrderBy(r => r.Lead.Name).ThenBy(r => r.Lead.Id),
            LeadSort.NameDesc => rows.OrderByDescending(r => r.Lead.Name).ThenByDescending(r => r.Lead.Id),
            LeadSort.NewestFirst => rows.OrderByDescending(r => r.Lead.Id),
            LeadSort.LastActivityDesc => rows.OrderByDescending(r => r.Lead.LastActivityAt).ThenByDescending(r => r.Lead.Id),
            LeadSort.LastActivityAsc => rows.OrderBy(r => r.Lead.LastActivityAt).ThenBy(r => r.Lead.Id),
            LeadSort.CompanyAsc => rows.OrderBy(r => r.Lead.Company).ThenBy(r => r.Lead.Id),
            LeadSort.CompanyDesc => rows.OrderByDescending(r => r.Lead.Company).ThenByDescending(r => r.Lead.Id),
            _ => rows.OrderByDescending(r => r.Points).ThenBy(r => r.Lead.Id),
        };
        var page = await ordered.Skip(Math.Max(0, query.Offset)).Take(Math.Clamp(query.Limit, 1, MaxPageSize))
            .Select(r => new { r.Lead.Id, r.Points }).ToListAsync(cancellationToken);
        var ids = page.Select(r => r.Id).ToList();
        var views = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ToView).ToDictionaryAsync(v => v.Id, cancellationToken);
        return new LeadPage([.. page.Select(r => views[r.Id] with { CategoryScore = r.Points })], total);
    }

    private IQueryable<Lead> Filtered(BehaviorPointsDbContext db, LeadQuery query, LeadAccess access)
    {
        var leads = db.Leads.AsNoTracking().VisibleTo(access);
        if (!string.IsNullOrWhiteSpace(query.IntentLevel))
        {
            leads = leads.Where(l => l.IntentLevel == query.IntentLevel);
        }
        if (!string.IsNullOrWhiteSpace(query.FitLevel))
        {
            leads = leads.Where(l => l.FitLevel == query.FitLevel);
        }
        if (query.TeamId is { } teamId)
        {
            leads = leads.Where(l => l.TeamId == teamId);
        }
        if (query.MinScore is { } min)
        {
            leads = leads.Where(l => l.BehaviorPoints >= min);
        }
        if (query.MaxScore is { } max)
        {
            leads = leads.Where(l => l.BehaviorPoints <= max);
        }
        if (!string.IsNullOrWhiteSpace(query.Stage))
        {
            var stage = query.Stage.Trim();
            leads = leads.Where(l => l.Stage == stage);
        }
        // Control characters cannot be in a lead's text (and PostgreSQL refuses a NUL outright), so they match nothing.
        if (query.Search is { } text && UserText.WithoutControlCharacters(text) is { } searched && !string.IsNullOrWhiteSpace(searched))
        {
            leads = search.Matching(leads, db, searched);
        }
        return leads;
    }

    private static IQueryable<LeadView> Page(IQueryable<Lead> leads, LeadQuery query)
    {
        var ordered = query.Sort switch
        {
            LeadSort.ScoreAsc => leads.OrderBy(l => l.BehaviorPoints).ThenBy(l => l.Id),
            LeadSort.NameAsc => leads.OrderBy(l => l.Name).ThenBy(l => l.Id),
            LeadSort.NewestFirst => leads.OrderByDescending(l => l.Id),
            LeadSort.LastActivityDesc => leads.OrderByDescending(l => l.LastActivityAt).ThenByDescending(l => l.Id),
            LeadSort.LastActivityAsc => leads.OrderBy(l => l.LastActivityAt).ThenBy(l => l.Id),
            LeadSort.NameDesc => leads.OrderByDescending(l => l.Name).ThenByDescending(l => l.Id),
            LeadSort.CompanyAsc => leads.OrderBy(l => l.Company).ThenBy(l => l.Id),
            LeadSort.CompanyDesc => leads.OrderByDescending(l => l.Company).ThenByDescending(l => l.Id),
            _ => leads.OrderByDescending(l => l.BehaviorPoints).ThenBy(l => l.Id),
        };
        return ordered.Skip(Math.Max(0, query.Offset)).Take(Math.Clamp(query.Limit, 1, MaxPageSize)).Select(ToView);
    }

    private static readonly Expression<Func<Lead, LeadView>> ToView = l => new LeadView(
        l.Id, l.Name, l.Company, l.Email, l.Phone, l.ExternalId,
        l.Owner != null ? l.Owner.Email : null,
        l.Owner != null ? l.Owner.DisplayName : null,
        l.Team != null ? l.Team.Name : null,
        l.Status, l.Industry, l.CompanySize, l.JobTitle, l.Region,
        l.BehaviorPoints, l.IntentLevel, l.FitScore, l.CreatedAt, l.UpdatedAt, l.LastActivityAt, l.TeamId, l.FitLevel, l.RescoredAt, l.RescoredVersion,
        l.Stage, l.StageScore);
}
