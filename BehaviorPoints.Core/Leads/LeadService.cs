using System.Linq.Expressions;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>Creates, updates and reads leads. Creating or updating a lead links and scores its waiting behaviors.</summary>
public sealed class LeadService(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    PublishedRuleSets publishedRuleSets,
    PublishedFitModels fitModels,
    Ledger ledger,
    WriteGate writeGate,
    TimeProvider clock)
{
    public const int MaxPageSize = 500;

    /// <summary>
    /// Creates a lead where <paramref name="access"/> may file it (see <see cref="LeadWriteChecks"/>) and scores the
    /// behaviors already waiting for its email, phone or external id. Throws <see cref="ValidationFailedException"/>
    /// with every problem.
    /// </summary>
    public async Task<LeadView> CreateAsync(LeadInput input, LeadAccess access, CancellationToken cancellationToken = default)
    {
        var result = (await CreateManyAsync([input], access, null, cancellationToken))[0];
        if (result.LeadId is not { } id)
        {
            throw new ValidationFailedException(result.Errors);
        }
        return (await FindAsync(id, LeadAccess.All, cancellationToken))!;
    }

    /// <summary>
    /// Creates many leads in one transaction, each checked as <see cref="CreateAsync"/> checks one; an input with
    /// problems is answered with them and not written, the others are. <paramref name="labels"/> name the inputs in
    /// messages about duplicates within the batch ("row 4").
    /// </summary>
    public async Task<IReadOnlyList<LeadWriteResult>> CreateManyAsync(
        IReadOnlyList<LeadInput> inputs, LeadAccess access, IReadOnlyList<string>? labels = null, CancellationToken cancellationToken = default)
    {
        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var checks = await LeadWriteChecks.LoadAsync(db, inputs, access, cancellationToken);
        var checkedInputs = new List<(int Index, LeadInput Input, LeadPlacement Placement)>();
        var results = new LeadWriteResult[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var errors = LeadValidator.Validate(inputs[i]).ToList();
            var placement = checks.Check(inputs[i], null, labels?[i] ?? $"input {i + 1}", errors);
            if (errors.Count > 0)
            {
                results[i] = new LeadWriteResult(null, errors);
                continue;
            }
            checkedInputs.Add((i, inputs[i], placement));
        }

        var newTeams = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in checkedInputs.Select(c => c.Placement.NewTeam).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            newTeams[name] = (await TeamDirectory.GetOrCreateAsync(db, name, cancellationToken)).Id;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var bands = PublishedRuleSets.BandsOf(await publishedRuleSets.CurrentAsync(db, cancellationToken));
        var fit = await fitModels.CurrentAsync(db, cancellationToken);
        var created = new List<(int Index, Lead Lead)>(checkedInputs.Count);
        foreach (var (index, input, placement) in checkedInputs)
        {
            var lead = new Lead(LeadValidator.Fields(input), now, bands);
            lead.AssignTo(placement.OwnerId, placement.NewTeam is { } name ? newTeams[name] : placement.TeamId);
            lead.ApplyFit(fit?.Score(lead));
            db.Leads.Add(lead);
            created.Add((index, lead));
        }
        await db.SaveChangesAsync(cancellationToken);

        var linked = new List<Lead>();
        foreach (var (index, lead) in created)
        {
            if (IntentLevelChange.Of(lead, null, lead.CreatedAt) is { } entered)
            {
                // A new lead enters the lowest level: the dashboard's trend counts it there.
                db.IntentLevelChanges.Add(entered);
            }
            if (await ledger.LinkUnlinkedAsync(db, lead, cancellationToken) > 0)
            {
                linked.Add(lead);
            }
            results[index] = new LeadWriteResult(lead.Id, []);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (linked.Count > 0)
        {
            ledger.NotifyChanged(linked);
        }
        return results;
    }

    /// <summary>
    /// Replaces the lead's fields, checked as <see cref="CreateAsync"/> checks them. Returns null when the lead does
    /// not exist or <paramref name="access"/> may not see it.
    /// </summary>
    public async Task<LeadView?> UpdateAsync(long id, LeadInput input, LeadAccess access, CancellationToken cancellationToken = default)
    {
        LeadValidator.ThrowIfInvalid(input);
        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var lead = await db.Leads.VisibleTo(access).FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return null;
        }
        if (!access.CanEdit(lead.TeamId))
        {
            throw new NotAllowedException("Only the lead's team and administrators may edit it.");
        }
        var checks = await LeadWriteChecks.LoadAsync(db, [input], access, cancellationToken);
        var errors = new List<FieldError>();
        var placement = checks.Check(input, id, "this lead", errors, lead.OwnerId);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var teamId = placement.NewTeam is { } newTeam ? (await TeamDirectory.GetOrCreateAsync(db, newTeam, cancellationToken)).Id : placement.TeamId;
        lead.Update(LeadValidator.Fields(input), clock.GetUtcNow().UtcDateTime);
        lead.AssignTo(placement.OwnerId, teamId);
        lead.ApplyFit((await fitModels.CurrentAsync(db, cancellationToken))?.Score(lead));
        await db.SaveChangesAsync(cancellationToken);

        var linked = await ledger.LinkUnlinkedAsync(db, lead, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (linked > 0)
        {
            ledger.NotifyChanged([lead]);
        }
        return await FindAsync(lead.Id, LeadAccess.All, cancellationToken);
    }

    public async Task<LeadView?> FindAsync(long id, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Leads.AsNoTracking().VisibleTo(access).Where(l => l.Id == id).Select(ToView).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<LeadPage> ListAsync(LeadQuery query, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = Filtered(db, query, access);
        var total = await leads.CountAsync(cancellationToken);
        var page = await Page(leads, query).ToListAsync(cancellationToken);
        return new LeadPage(page, total);
    }

    private static IQueryable<Lead> Filtered(BehaviorPointsDbContext db, LeadQuery query, LeadAccess access)
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
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            leads = leads.Matching(db, query.Search);
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

    /// <summary>
    /// The lead's total and one page of entries, newest first by when they happened (ties by id), keyset-paged from
    /// <paramref name="before"/>; each entry carries the running total in that order. Null when the lead does not
    /// exist or is not visible.
    /// </summary>
    public async Task<LeadScore?> GetScoreAsync(long leadId, LeadAccess access, int limit = 50, EntryCursor? before = null, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One read transaction: the total and the entries come from the same snapshot, so running totals add up.
        // Deferred, so it stays a reader (EF's default BEGIN IMMEDIATE would queue behind ingest for the write lock).
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var snapshot = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(snapshot, cancellationToken);
        var lead = await db.Leads.AsNoTracking().VisibleTo(access)
            .Where(l => l.Id == leadId)
            .Select(l => new { l.BehaviorPoints, l.IntentLevel })
            .FirstOrDefaultAsync(cancellationToken);
        if (lead is null)
        {
            return null;
        }

        var entries = db.ScoreEntries.AsNoTracking().Where(e => e.LeadId == leadId);
        var running = lead.BehaviorPoints;
        if (before is { } cursor)
        {
            var (at, id) = (cursor.OccurredAt, cursor.Id);
            entries = entries.Where(e => e.OccurredAt < at || (e.OccurredAt == at && e.Id < id));
            running -= await db.ScoreEntries
                .Where(e => e.LeadId == leadId && (e.OccurredAt > at || (e.OccurredAt == at && e.Id >= id)))
                .SumAsync(e => (long)e.Points, cancellationToken);
        }
        var page = await entries
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Take(limit + 1)
            .Select(e => new ScoreEntryView(e.Id, e.Points, e.RuleName, e.BehaviorType, e.EventId, e.OccurredAt, e.ScoredAt, e.RuleSetVersion, e.Reason, e.CreatedBy, e.BehaviorId, 0))
            .ToListAsync(cancellationToken);
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
        return new LeadScore(leadId, lead.BehaviorPoints, lead.IntentLevel, withTotals, next);
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
            .Select(e => new SupersededEntryView(e.Id, e.Points, e.RuleName, e.BehaviorType, e.EventId, e.OccurredAt, e.RuleSetVersion, e.SupersededAt, e.SupersededByVersion))
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
            : Behaviors.EventReader.ReadAttributes(json).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(p => p.Key, p => p.Value.Text);
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

    /// <summary>The intent levels in force, lowest range first (empty when the rule set has no intent field).</summary>
    public async Task<IReadOnlyList<string>> IntentLevelsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bands = PublishedRuleSets.BandsOf(await publishedRuleSets.CurrentAsync(db, cancellationToken));
        return bands?.Options.Select(o => o.Label).ToList() ?? [];
    }

    /// <summary>Every lead matching a filter, page by page, for exports (never all in memory at once).</summary>
    public async IAsyncEnumerable<LeadView> StreamAsync(LeadQuery query, LeadAccess access, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Pages without the count the list needs: over a million leads a count per page would dominate the export.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = Filtered(db, query, access);
        for (var offset = 0; ; offset += MaxPageSize)
        {
            var page = await Page(leads, query with { Offset = offset, Limit = MaxPageSize }).ToListAsync(cancellationToken);
            foreach (var lead in page)
            {
                yield return lead;
            }
            if (page.Count < MaxPageSize)
            {
                yield break;
            }
        }
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

    /// <summary>Counts leads per intent level (one grouped query); levels without leads are absent.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByIntentLevelAsync(LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Leads.AsNoTracking().VisibleTo(access)
            .Where(l => l.IntentLevel != null)
            .GroupBy(l => l.IntentLevel!)
            .Select(g => new { Level = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Level, g => g.Count, cancellationToken);
    }

    private static readonly Expression<Func<Lead, LeadView>> ToView = l => new LeadView(
        l.Id, l.Name, l.Company, l.Email, l.Phone, l.ExternalId,
        l.Owner != null ? l.Owner.Email : null,
        l.Owner != null ? l.Owner.DisplayName : null,
        l.Team != null ? l.Team.Name : null,
        l.Status, l.Industry, l.CompanySize, l.JobTitle, l.Region,
        l.BehaviorPoints, l.IntentLevel, l.FitScore, l.CreatedAt, l.UpdatedAt, l.LastActivityAt, l.TeamId, l.FitLevel, l.RescoredAt, l.RescoredVersion);
}
