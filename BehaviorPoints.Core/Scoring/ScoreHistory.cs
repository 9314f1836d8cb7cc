using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// The ledger's read side: a visible lead's entries (newest first by when they happened, with running totals), the
/// entries a re-score replaced, the behavior behind an entry, and the total day by day.
/// </summary>
public sealed class ScoreHistory(IDbContextFactory<BehaviorPointsDbContext> dbFactory, IReadSnapshots snapshots, PublishedRuleSets publishedRuleSets, TimeProvider clock)
{
    public const int MaxPageSize = 500;

    /// <summary>
    /// The lead's total and one page of entries, newest first by when they happened (ties by id), keyset-paged from
    /// <paramref name="before"/>; each entry carries the running total in that order. With a <paramref name="filter"/>
    /// only the entries of one category or one stage visit, their running total adding up to that category's score or
    /// stage's points. Null when the lead does not exist or is not visible.
    /// </summary>
    public async Task<LeadScore?> GetScoreAsync(
        long leadId, LeadAccess access, int limit = 50, EntryCursor? before = null, CancellationToken cancellationToken = default, EntryFilter? filter = null)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The total and the entries come from the same snapshot, so running totals add up.
        await using var snapshot = await snapshots.BeginAsync(db, cancellationToken);
        var lead = await db.Leads.AsNoTracking().VisibleTo(access)
            .Where(l => l.Id == leadId)
            .Select(l => new { l.BehaviorPoints, l.IntentLevel, l.Stage, l.StageScore })
            .FirstOrDefaultAsync(cancellationToken);
        if (lead is null)
        {
            return null;
        }
        // Every category of the rule set, as the score answer of an event has them (0 where the lead has no entries yet).
        var categories = ((await publishedRuleSets.CurrentAsync(db, cancellationToken))?.Categories ?? []).ToDictionary(c => c.Name, _ => 0L);
        foreach (var stored in await db.LeadCategoryScores.AsNoTracking().Where(c => c.LeadId == leadId).ToListAsync(cancellationToken))
        {
            categories[stored.Category] = stored.Points;
        }

        var all = db.ScoreEntries.AsNoTracking().Where(e => e.LeadId == leadId);
        var running = lead.BehaviorPoints;
        if (filter?.Category is { } category)
        {
            all = all.Where(e => e.Category == category);
            running = categories.GetValueOrDefault(category);
        }
        if (filter?.StageVisit is { } visit)
        {
            all = all.Where(e => e.StageVisit == visit);
            running = await all.SumAsync(e => (long)e.Points, cancellationToken);
        }
        var entries = all;
        if (before is { } cursor)
        {
            var (at, id) = (cursor.OccurredAt, cursor.Id);
            entries = entries.Where(e => e.OccurredAt < at || (e.OccurredAt == at && e.Id < id));
            running -= await all
                .Where(e => e.OccurredAt > at || (e.OccurredAt == at && e.Id >= id))
                .SumAsync(e => (long)e.Points, cancellationToken);
        }
        var page = await entries
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Take(limit + 1)
            .Select(e => new ScoreEntryView(e.Id, e.Points, e.RuleName, e.BehaviorType, e.EventId, e.OccurredAt, e.ScoredAt, e.RuleSetVersion, e.Reason, e.CreatedBy, e.BehaviorId, 0)
            {
                Kind = e.Kind,
                DecaysEntryId = e.DecaysEntryId,
                FadedBehaviorAt = e.Kind == ScoreEntryKind.Decay && e.Behavior != null ? e.Behavior.OccurredAt : null,
                Category = e.Category,
                StageVisit = e.StageVisit,
            })
            .ToListAsync(cancellationToken);
        page = await WithFadingAsync(db, page, cancellationToken);
        EntryCursor? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            next = new EntryCursor(page[^1].OccurredAt, page[^1].Id);
        }
        var withTotals = new List<ScoreEntryView>(page.Count);
        foreach (var entry in page)
        {
            withTotals.Add(entry with { RunningTotal = running });
            running -= entry.Points;
        }
        return new LeadScore(leadId, lead.BehaviorPoints, lead.IntentLevel, withTotals, next)
        {
            Categories = categories,
            Stage = lead.Stage,
            StageScore = lead.StageScore,
        };
    }

    // The rule entries of a page that fade get their value today and their steps to come: two look-ups by entry id.
    private static async Task<List<ScoreEntryView>> WithFadingAsync(BehaviorPointsDbContext db, List<ScoreEntryView> page, CancellationToken cancellationToken)
    {
        var ruleEntries = page.Where(e => e.Kind == ScoreEntryKind.Rule).Select(e => e.Id).ToList();
        if (ruleEntries.Count == 0)
        {
            return page;
        }
        var faded = await db.ScoreEntries.AsNoTracking()
            .Where(d => d.DecaysEntryId != null && ruleEntries.Contains(d.DecaysEntryId.Value))
            .GroupBy(d => d.DecaysEntryId!.Value)
            .Select(g => new { EntryId = g.Key, Points = g.Sum(d => d.Points) })
            .ToDictionaryAsync(g => g.EntryId, g => g.Points, cancellationToken);
        var upcoming = (await db.PendingDecays.AsNoTracking()
                .Where(p => ruleEntries.Contains(p.EntryId))
                .Select(p => new { p.EntryId, p.Step, p.DueAt, p.Kept })
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.EntryId);
        if (faded.Count == 0 && upcoming.Count == 0)
        {
            return page;
        }
        return page.Select(e => e.Kind == ScoreEntryKind.Rule && (faded.ContainsKey(e.Id) || upcoming.Contains(e.Id))
                ? e with { Fading = new EntryFading(e.Points + faded.GetValueOrDefault(e.Id), [.. upcoming[e.Id].OrderBy(p => p.Step).Select(p => new UpcomingFade(p.DueAt, p.Kept))]) }
                : e)
            .ToList();
    }

    /// <summary>The points of a visible lead's decay steps due within the next <paramref name="days"/> days; null when the lead is not visible.</summary>
    public async Task<FadingSoon?> GetFadingSoonAsync(long leadId, LeadAccess access, int days = 7, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Leads.VisibleTo(access).AnyAsync(l => l.Id == leadId, cancellationToken))
        {
            return null;
        }
        var until = clock.GetUtcNow().UtcDateTime.AddDays(days);
        var points = await db.PendingDecays.Where(p => p.LeadId == leadId && p.DueAt <= until).SumAsync(p => p.Points, cancellationToken);
        return new FadingSoon(points, days);
    }

    /// <summary>
    /// Where entry <paramref name="entryId"/> of a lead stands in the list, for callers that page by an entry id; an
    /// entry a re-score replaced keeps its place. Null when the lead has no such entry, now or before.
    /// </summary>
    public async Task<EntryCursor?> CursorOfEntryAsync(long leadId, long entryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var at = await db.ScoreEntries.Where(e => e.Id == entryId && e.LeadId == leadId).Select(e => (DateTime?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken)
            ?? await db.SupersededScoreEntries.Where(e => e.EntryId == entryId && e.LeadId == leadId).Select(e => (DateTime?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        return at is { } occurredAt ? new EntryCursor(occurredAt, entryId) : null;
    }

    /// <summary>
    /// The rule entries re-scores replaced for a visible lead, newest first, <paramref name="limit"/> at a time (keyset
    /// by id). They count in no total; they show what the score was made of under earlier versions.
    /// </summary>
    public async Task<(IReadOnlyList<SupersededEntryView> Entries, long? NextBefore)> GetSupersededEntriesAsync(
        long leadId, LeadAccess access, int limit = 50, long? before = null, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Leads.VisibleTo(access).AnyAsync(l => l.Id == leadId, cancellationToken))
        {
            return ([], null);
        }
        var entries = db.SupersededScoreEntries.AsNoTracking().Where(e => e.LeadId == leadId);
        if (before is { } beforeId)
        {
            entries = entries.Where(e => e.Id < beforeId);
        }
        var page = await entries.OrderByDescending(e => e.Id).Take(limit + 1)
            .Select(e => new SupersededEntryView(e.Id, e.Points, e.RuleName, e.BehaviorType, e.EventId, e.OccurredAt, e.RuleSetVersion, e.SupersededAt, e.SupersededByVersion) { Kind = e.Kind, Category = e.Category })
            .ToListAsync(cancellationToken);
        long? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            next = page[^1].Id;
        }
        return (page, next);
    }

    /// <summary>The attributes of the behavior behind one of a visible lead's entries, or null.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> GetEntryAttributesAsync(long leadId, long entryId, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.ScoreEntries.AsNoTracking()
            .Where(e => e.Id == entryId && e.LeadId == leadId && db.Leads.VisibleTo(access).Any(l => l.Id == leadId))
            .Select(e => e.Behavior != null ? e.Behavior.AttributesJson : null)
            .FirstOrDefaultAsync(cancellationToken);
        return json is null
            ? null
            : AttributeJson.Read(json).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(p => p.Key, p => p.Value.Text);
    }

    /// <summary>
    /// The lead's total at the end of each day (UTC) on which it gained or lost points, by when the behaviors
    /// happened, for the last <paramref name="days"/> days; one grouped query.
    /// </summary>
    public async Task<IReadOnlyList<DailyTotal>> GetDailyTotalsAsync(long leadId, LeadAccess access, int days, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Leads.VisibleTo(access).AnyAsync(l => l.Id == leadId, cancellationToken))
        {
            return [];
        }
        var since = clock.GetUtcNow().UtcDateTime.Date.AddDays(-days);
        var before = await db.ScoreEntries.Where(e => e.LeadId == leadId && e.OccurredAt < since).SumAsync(e => (long)e.Points, cancellationToken);
        var perDay = await db.ScoreEntries.AsNoTracking()
            .Where(e => e.LeadId == leadId && e.OccurredAt >= since)
            .GroupBy(e => e.OccurredAt.Date)
            .Select(g => new { Day = g.Key, Points = g.Sum(e => (long)e.Points) })
            .OrderBy(g => g.Day)
            .ToListAsync(cancellationToken);
        var running = before;
        return perDay.Select(d => new DailyTotal(DateOnly.FromDateTime(d.Day), running += d.Points)).ToList();
    }

    /// <summary>All of a visible lead's entries, newest first by when they happened, page by page (for exports).</summary>
    public async IAsyncEnumerable<ScoreEntryView> StreamEntriesAsync(long leadId, LeadAccess access, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EntryCursor? before = null;
        do
        {
            var page = await GetScoreAsync(leadId, access, MaxPageSize, before, cancellationToken);
            if (page is null)
            {
                yield break;
            }
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }
            before = page.Next;
        }
        while (before is not null);
    }
}
