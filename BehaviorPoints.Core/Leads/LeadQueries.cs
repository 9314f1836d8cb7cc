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

    /// <summary>
    /// How far a text search's matches are counted; past this many the list says "1,000+", as list views of large CRMs
    /// do, and pages on as far as the matches go. Counting further reads every match (a name one lead in ten has, over
    /// a million leads: 100,000 rows, each tested against the text), which costs more than the page it is shown with.
    /// </summary>
    public const int SearchCountLimit = 1_000;

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
        if (SearchedText(query) is { } text)
        {
            return await SearchAsync(db, query, access, text, cancellationToken);
        }
        var leads = Filtered(db, query, access);
        var page = await Page(leads, query).ToListAsync(cancellationToken);
        // Counting a million rows for the pager costs more than the page; the kept counts answer without the rows.
        var total = LeadCountQueries.Countable(query) ? await db.CountAsync(query, access, cancellationToken) : await leads.CountAsync(cancellationToken);
        return new LeadPage(page, total);
    }

    // A text search first reads the text index as far as the count limit. A rare text's matches are few enough to
    // gather and sort for the page, and to count. A common one ("kowalski", one lead in ten) has too many for a page of
    // 25: the page walks the list's order and tests each lead, which meets a page of matches within a few hundred
    // leads. Its count is the text index's when nothing else filters the leads; otherwise the filtered matches are
    // counted to the limit too, and when few the page gathers them instead.
    private async Task<LeadPage> SearchAsync(BehaviorPointsDbContext db, LeadQuery query, LeadAccess access, string text, CancellationToken cancellationToken)
    {
        var unsearched = Filtered(db, query with { Search = null }, access);
        var matches = search.MatchingIds(db, text);
        var leads = unsearched.Where(l => matches.Contains(l.Id));
        var indexed = await matches.Take(SearchCountLimit + 1).CountAsync(cancellationToken);
        var counted = indexed <= SearchCountLimit ? await leads.CountAsync(cancellationToken)
            : KeepsEveryLead(query with { Search = null }, access) ? indexed
            : await leads.Take(SearchCountLimit + 1).CountAsync(cancellationToken);
        if (counted <= SearchCountLimit)
        {
            return new LeadPage(await Page(leads, query).ToListAsync(cancellationToken), counted);
        }
        // One lead more than the page says whether more follow, so the pager can go on past the count limit: the total is
        // then as many as have been seen (at least the limit) and more, or, on the last page, exact.
        var (offset, limit) = Window(query);
        var walked = await Ordered(search.EachMatching(unsearched, db, text), query.Sort).Skip(offset).Take(limit + 1).Select(ToView).ToListAsync(cancellationToken);
        return walked.Count > limit ? new LeadPage(walked[..limit], Math.Max(SearchCountLimit, offset + walked.Count), TotalCountIsLowerBound: true)
            : walked.Count > 0 ? new LeadPage(walked, offset + walked.Count)
            : new LeadPage(walked, SearchCountLimit, TotalCountIsLowerBound: true); // a page past the last match
    }

    // Whether the query keeps every lead: the reader sees them all and no filter is set. Countable knows every filter
    // except the three the kept counts are kept by (team, intent level and fit level). Callers clear the filter they
    // apply themselves (the text, the category) to ask whether anything else filters.
    private static bool KeepsEveryLead(LeadQuery query, LeadAccess access) =>
        access.SeesAll && LeadCountQueries.Countable(query) && query.TeamId is null
        && string.IsNullOrWhiteSpace(query.IntentLevel) && string.IsNullOrWhiteSpace(query.FitLevel);

    // Control characters cannot be in a lead's text (and PostgreSQL refuses a NUL outright), so they match nothing.
    private static string? SearchedText(LeadQuery query) =>
        query.Search is { } text && UserText.WithoutControlCharacters(text) is { } searched && !string.IsNullOrWhiteSpace(searched) ? searched : null;

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

    // The category filter (SPEC §12) reads the category's scores by their index on (category, points). Sorted by the
    // category's score, the page walks that index from the top and looks each lead up; sorted by a lead column, it walks
    // the leads in that order and keeps those with a score at least the minimum, so either way a page reads about a
    // page of rows. The count reads the index range alone when nothing else filters the leads (every score row has its
    // lead); otherwise it joins. The page is read as ids first, then those leads.
    private async Task<LeadPage> ListByCategoryAsync(BehaviorPointsDbContext db, LeadQuery query, LeadAccess access, CancellationToken cancellationToken)
    {
        var category = query.Category!.Trim();
        var min = query.MinCategoryScore ?? long.MinValue;
        var scores = db.LeadCategoryScores.AsNoTracking().Where(s => s.Category == category && s.Points >= min);
        var leads = Filtered(db, query, access);
        var total = KeepsEveryLead(query with { Category = null }, access)
            ? await scores.CountAsync(cancellationToken)
            : await scores.Join(leads, s => s.LeadId, l => l.Id, (s, l) => s).CountAsync(cancellationToken);

        var (offset, limit) = Window(query);
        List<long> ids;
        if (query.Sort == LeadSort.CategoryScoreDesc)
        {
            ids = await scores.Join(leads, s => s.LeadId, l => l.Id, (s, l) => s)
                .OrderByDescending(s => s.Points).ThenBy(s => s.LeadId)
                .Skip(offset).Take(limit).Select(s => s.LeadId).ToListAsync(cancellationToken);
        }
        else
        {
            var withScore = leads.Where(l => scores.Any(s => s.LeadId == l.Id));
            ids = await Ordered(withScore, query.Sort).Skip(offset).Take(limit).Select(l => l.Id).ToListAsync(cancellationToken);
        }
        var points = await db.LeadCategoryScores.AsNoTracking().Where(s => s.Category == category && ids.Contains(s.LeadId))
            .ToDictionaryAsync(s => s.LeadId, s => s.Points, cancellationToken);
        var views = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ToView).ToDictionaryAsync(v => v.Id, cancellationToken);
        return new LeadPage([.. ids.Select(id => views[id] with { CategoryScore = points.GetValueOrDefault(id) })], total);
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
        if (query.MinLikelihood is { } likelihood)
        {
            leads = leads.Where(l => l.ConversionProbability >= likelihood);
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
        if (query.InPool)
        {
            leads = leads.Where(l => l.OwnerId == null);
        }
        if (query.OwnerId is { } ownerId)
        {
            leads = leads.Where(l => l.OwnerId == ownerId);
        }
        if (SearchedText(query) is { } text)
        {
            var matches = search.MatchingIds(db, text);
            leads = leads.Where(l => matches.Contains(l.Id));
        }
        return leads;
    }

    private static IQueryable<LeadView> Page(IQueryable<Lead> leads, LeadQuery query)
    {
        var (offset, limit) = Window(query);
        return Ordered(leads, query.Sort).Skip(offset).Take(limit).Select(ToView);
    }

    private static (int Offset, int Limit) Window(LeadQuery query) => (Math.Max(0, query.Offset), Math.Clamp(query.Limit, 1, MaxPageSize));

    private static IOrderedQueryable<Lead> Ordered(IQueryable<Lead> leads, LeadSort sort) =>
        sort switch
        {
            LeadSort.ScoreAsc => leads.OrderBy(l => l.BehaviorPoints).ThenBy(l => l.Id),
            LeadSort.NameAsc => leads.OrderBy(l => l.Name).ThenBy(l => l.Id),
            LeadSort.NewestFirst => leads.OrderByDescending(l => l.Id),
            LeadSort.LastActivityDesc => leads.OrderByDescending(l => l.LastActivityAt).ThenByDescending(l => l.Id),
            LeadSort.LastActivityAsc => leads.OrderBy(l => l.LastActivityAt).ThenBy(l => l.Id),
            LeadSort.NameDesc => leads.OrderByDescending(l => l.Name).ThenByDescending(l => l.Id),
            LeadSort.CompanyAsc => leads.OrderBy(l => l.Company).ThenBy(l => l.Id),
            LeadSort.CompanyDesc => leads.OrderByDescending(l => l.Company).ThenByDescending(l => l.Id),
            LeadSort.LikelihoodDesc => leads.OrderBy(l => l.ConversionProbability == null).ThenByDescending(l => l.ConversionProbability).ThenBy(l => l.Id),
            LeadSort.LikelihoodAsc => leads.OrderBy(l => l.ConversionProbability == null).ThenBy(l => l.ConversionProbability).ThenBy(l => l.Id),
            // Highest first, the newest of equal scores first: the score's index read backwards, with no sort of the ties.
            _ => leads.OrderByDescending(l => l.BehaviorPoints).ThenByDescending(l => l.Id),
        };

    private static readonly Expression<Func<Lead, LeadView>> ToView = l => new LeadView(
        l.Id, l.Name, l.Company, l.Email, l.Phone, l.ExternalId,
        l.Owner != null ? l.Owner.Email : null,
        l.Owner != null ? l.Owner.DisplayName : null,
        l.Team != null ? l.Team.Name : null,
        l.Status, l.Industry, l.CompanySize, l.JobTitle, l.Region,
        l.BehaviorPoints, l.IntentLevel, l.FitScore, l.CreatedAt, l.UpdatedAt, l.LastActivityAt, l.TeamId, l.FitLevel, l.RescoredAt, l.RescoredVersion,
        l.Stage, l.StageScore, l.ConversionProbability, l.ConversionFactorsJson);
}
