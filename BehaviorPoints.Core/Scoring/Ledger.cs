using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// The write side of scoring. Each call stores behaviors and appends their score entries, the leads' new totals and
/// intent levels in one transaction, so <c>total == sum(entries)</c> holds for every lead at every commit.
/// </summary>
public sealed class Ledger(
    UnitOfWork unitOfWork,
    PublishedRuleSets publishedRuleSets,
    WriteGate writeGate,
    ILedgerStore store,
    ScoreNotifications notifications,
    ScoreChangeHandlers reactions,
    TimeProvider clock)
{
    public const string ManualRuleName = "Manual adjustment";
    public const int MaxReasonLength = 1000;

    /// <summary>At most this many events go into one group-committed transaction (one request is never split).</summary>
    public const int MaxEventsPerTransaction = 5_000;

    private readonly Queue<PendingIngest> _pending = new();

    /// <summary>Requests waiting for the write gate (for tests that show they are committed together).</summary>
    internal int PendingRequests
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    private sealed class PendingIngest(IReadOnlyList<IncomingBehavior> batch)
    {
        public IReadOnlyList<IncomingBehavior> Batch { get; } = batch;
        public TaskCompletionSource<IReadOnlyList<IngestResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Stores and scores a batch; answers one result per behavior, in order. Requests that queue behind the write gate
    /// are committed together (group commit): whoever gets the gate writes every pending request in one transaction,
    /// as if their events had come in one batch, in arrival order. Each request still gets only its own results.
    /// </summary>
    public async Task<IReadOnlyList<IngestResult>> IngestAsync(IReadOnlyList<IncomingBehavior> batch, CancellationToken cancellationToken = default)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var request = new PendingIngest(batch);
        lock (_pending)
        {
            _pending.Enqueue(request);
        }
        var entering = writeGate.EnterAsync(cancellationToken);
        if (await Task.WhenAny(entering, request.Completion.Task) != entering)
        {
            // Another request's transaction took this one along: hand the gate back as soon as it comes.
            _ = entering.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return await request.Completion.Task;
        }
        using (await entering)
        {
            while (!request.Completion.Task.IsCompleted)
            {
                var group = TakePending();
                try
                {
                    if (group.Count == 1)
                    {
                        // Alone (the usual case for big batches): no copies of the events or the results.
                        group[0].Completion.TrySetResult(await IngestInTransactionAsync(group[0].Batch, CancellationToken.None));
                        continue;
                    }
                    var results = await IngestInTransactionAsync([.. group.SelectMany(r => r.Batch)], CancellationToken.None);
                    var offset = 0;
                    foreach (var member in group)
                    {
                        member.Completion.TrySetResult(new ArraySegment<IngestResult>(results, offset, member.Batch.Count));
                        offset += member.Batch.Count;
                    }
                }
                catch (Exception exception)
                {
                    foreach (var member in group)
                    {
                        member.Completion.TrySetException(exception);
                    }
                }
            }
        }
        return await request.Completion.Task;
    }

    // The oldest pending requests, up to MaxEventsPerTransaction events (always at least one request).
    private List<PendingIngest> TakePending()
    {
        var group = new List<PendingIngest>();
        var events = 0;
        lock (_pending)
        {
            while (_pending.TryPeek(out var next) && (group.Count == 0 || events + next.Batch.Count <= MaxEventsPerTransaction))
            {
                group.Add(_pending.Dequeue());
                events += next.Batch.Count;
            }
        }
        return group;
    }

    // One transaction over the events of one or more requests, behind the write gate the caller holds.
    private Task<IngestResult[]> IngestInTransactionAsync(IReadOnlyList<IncomingBehavior> batch, CancellationToken cancellationToken) =>
        unitOfWork.WriteHoldingGateAsync(scope => IngestAsync(scope, batch, cancellationToken), cancellationToken);

    private async Task<IngestResult[]> IngestAsync(WriteScope scope, IReadOnlyList<IncomingBehavior> batch, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);

        var statements = store.On(db);
        var stored = statements.StoredEvents(batch.Select(b => b.EventId).Distinct());

        var leads = LeadsOfBatch(statements, batch);
        var writes = new LedgerWrites();
        var counters = LedgerCounters.Read(statements, ruleSet, leads.All.Select(l => l.Id), batch.Select(b => b.OccurredAtUtc), writes);
        var categoryScores = ruleSet is { Categories.Count: > 0 } ? statements.CategoryScores(leads.All.Select(l => l.Id)) : null;
        var scorer = new Scorer(writes, ruleSet, counters, now, categoryScores);

        var results = new IngestResult[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var incoming = batch[i];
            if (stored.TryGetValue(incoming.EventId, out var previousLeadId))
            {
                results[i] = new IngestResult(incoming.EventId, IngestStatus.Duplicate, previousLeadId);
                continue;
            }

            var lead = incoming.Held || incoming.Unmapped ? null : leads.Resolve(incoming);
            if (incoming.LeadId is { } missing && lead is null)
            {
                results[i] = IngestResult.Rejected(incoming.EventId, $"leadId {missing} names no lead.");
                continue;
            }

            var behavior = new StoredBehavior
            {
                EventId = incoming.EventId,
                Type = incoming.Type,
                OccurredAt = incoming.OccurredAtUtc,
                ReceivedAt = now,
                ContactEmail = incoming.Contact.Email,
                ContactPhone = incoming.Contact.Phone,
                ContactExternalId = incoming.Contact.ExternalId,
                VisitorId = incoming.VisitorId,
                AttributesJson = incoming.AttributesJson,
                Outcome = incoming.Held ? BehaviorOutcome.Held : incoming.Unmapped ? BehaviorOutcome.Unmapped : BehaviorOutcome.Unlinked,
            };
            writes.Behaviors.Add(behavior);
            stored[incoming.EventId] = lead?.Id;

            results[i] = incoming.Held ? new IngestResult(incoming.EventId, IngestStatus.Held)
                : lead is null ? new IngestResult(incoming.EventId, IngestStatus.Unlinked)
                : scorer.Score(lead, behavior, incoming.Attributes);
        }

        statements.Write(writes);
        await reactions.RunAsync(new ScoreChanges(scope, writes, ruleSet, now, ScoreChangeCause.Ingest), cancellationToken);
        var scoredLeads = results.Where(r => r.Status == IngestStatus.Scored).Select(r => r.LeadId).ToHashSet();
        await notifications.AnnounceAsync(scope, ScoreNotifications.ChangesOf(leads.All.Where(l => scoredLeads.Contains(l.Id)), writes), cancellationToken);
        return results;
    }

    /// <summary>
    /// Adds a manual entry to a lead the caller may see: points with a required reason and the user who made it, counted
    /// in the total, the stage score and, when one is named, a category. Nothing is overwritten; the correction is one
    /// more entry. Returns null when the lead is not visible.
    /// </summary>
    public async Task<ManualAdjustment?> AdjustAsync(
        long leadId, long requestedPoints, string reason, string madeBy, LeadAccess access, CancellationToken cancellationToken = default, string? category = null)
    {
        var errors = new List<FieldError>();
        if (requestedPoints == 0 || Math.Abs(requestedPoints) > RuleSetValidator.MaxPoints)
        {
            errors.Add(FieldError.Of("points", "An adjustment is between -{0} and {1} points and not zero; {2} is not.", RuleSetValidator.MaxPoints, RuleSetValidator.MaxPoints, requestedPoints));
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(FieldError.Of("reason", "Say why: the reason is shown with the entry to everyone who explains this score."));
        }
        else if (reason.Trim().Length > MaxReasonLength)
        {
            errors.Add(FieldError.Of("reason", "The reason is {0} characters long; the limit is {1}.", reason.Trim().Length, MaxReasonLength));
        }
        else if (UserText.HasControlCharacters(reason, allowLineBreaks: true))
        {
            errors.Add(FieldError.Of("reason", "The reason must not contain control characters."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var points = (int)requestedPoints;
        return await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var lead = await db.Leads.VisibleTo(access).FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken);
            if (lead is null)
            {
                return null;
            }
            if (!access.CanEdit(lead.TeamId))
            {
                throw new NotAllowedException("Only the lead's team and administrators may adjust its score.");
            }
            var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
            string? listedCategory = null;
            if (!string.IsNullOrWhiteSpace(category))
            {
                listedCategory = ruleSet?.Categories.FirstOrDefault(c => string.Equals(c.Name, category.Trim(), StringComparison.OrdinalIgnoreCase))?.Name
                    ?? throw new ValidationFailedException([new("category", $"Category '{category.Trim()}' is not one of the published rule set's categories.")]);
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var entry = new ScoreEntry
            {
                LeadId = lead.Id,
                Kind = ScoreEntryKind.Manual,
                Points = points,
                RuleName = ManualRuleName,
                OccurredAt = now,
                ScoredAt = now,
                Reason = reason.Trim(),
                CreatedBy = madeBy,
                Category = listedCategory,
            };
            var writes = new LedgerWrites();
            writes.Track(lead);
            var levelBefore = lead.IntentLevel;
            writes.Credit(lead, entry, PublishedRuleSets.BandsOf(ruleSet), ruleSet?.Stages ?? StagePath.Default, now);
            db.ScoreEntries.Add(entry);
            if (IntentLevelChange.Of(lead, levelBefore, now) is { } change)
            {
                db.IntentLevelChanges.Add(change);
            }
            db.StageChanges.AddRange(writes.StageChanges);
            store.On(db).WriteSums(writes);
            await reactions.RunAsync(new ScoreChanges(scope, writes, ruleSet, now, ScoreChangeCause.Adjustment), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            // Usually the newest entry; a behavior may have happened up to a day ahead, and those count after it.
            var later = await db.ScoreEntries
                .Where(e => e.LeadId == lead.Id && (e.OccurredAt > now || (e.OccurredAt == now && e.Id > entry.Id)))
                .SumAsync(e => (long)e.Points, cancellationToken);
            var changed = new LeadScoreChanged(lead.Id, lead.BehaviorPoints, lead.IntentLevel, entry.Id);
            await notifications.AnnounceAsync(scope, [changed], cancellationToken);
            var view = new ScoreEntryView(entry.Id, points, ManualRuleName, null, null, now, now, null, entry.Reason, madeBy, null, lead.BehaviorPoints - later)
            {
                Kind = ScoreEntryKind.Manual,
                Category = listedCategory,
                StageVisit = entry.StageVisit,
            };
            return new ManualAdjustment(lead.Id, view, lead.BehaviorPoints, lead.IntentLevel);
        }, cancellationToken);
    }


    /// <summary>
    /// Links and scores the waiting behaviors of many new leads (an import's batch): one look-up per kind of identity
    /// finds the few leads that have any, and only those are linked one by one. Returns the leads that got behaviors.
    /// </summary>
    internal async Task<IReadOnlyList<Lead>> LinkUnlinkedAsync(WriteScope scope, IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in leads.Select(l => l.Email).OfType<string>().Distinct().Chunk(KeysPerQuery))
        {
            waiting.UnionWith(await db.Behaviors.Where(b => b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked && b.ContactEmail != null && chunk.Contains(b.ContactEmail)).Select(b => "e:" + b.ContactEmail).Distinct().ToListAsync(cancellationToken));
        }
        foreach (var chunk in leads.Select(l => l.Phone).OfType<string>().Distinct().Chunk(KeysPerQuery))
        {
            waiting.UnionWith(await db.Behaviors.Where(b => b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked && b.ContactPhone != null && chunk.Contains(b.ContactPhone)).Select(b => "p:" + b.ContactPhone).Distinct().ToListAsync(cancellationToken));
        }
        foreach (var chunk in leads.Select(l => l.ExternalId).OfType<string>().Distinct().Chunk(KeysPerQuery))
        {
            waiting.UnionWith(await db.Behaviors.Where(b => b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked && b.ContactExternalId != null && chunk.Contains(b.ContactExternalId)).Select(b => "x:" + b.ContactExternalId).Distinct().ToListAsync(cancellationToken));
        }
        var linked = new List<Lead>();
        foreach (var lead in leads.Where(l => waiting.Contains("e:" + l.Email) || waiting.Contains("p:" + l.Phone) || waiting.Contains("x:" + l.ExternalId)))
        {
            if (await LinkUnlinkedAsync(scope, lead, cancellationToken) > 0)
            {
                linked.Add(lead);
            }
        }
        return linked;
    }

    // Keys per look-up: they go in as parameters, within every database's limit.
    private const int KeysPerQuery = 500;

    /// <summary>
    /// Links the unlinked behaviors that carry <paramref name="lead"/>'s email, phone or external id and scores them in
    /// the order they happened. Runs inside the caller's transaction and write gate (lead create and update).
    /// </summary>
    internal async Task<int> LinkUnlinkedAsync(WriteScope scope, Lead lead, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var (email, phone, externalId) = (lead.Email, lead.Phone, lead.ExternalId);
        if (email is null && phone is null && externalId is null)
        {
            return 0;
        }

        // Held behaviors (a suspected bot's) wait for their visitor's release, not for a lead.
        var waiting = await db.Behaviors
            .Where(b => b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked
                && ((email != null && b.ContactEmail == email)
                    || (phone != null && b.ContactPhone == phone)
                    || (externalId != null && b.ContactExternalId == externalId)))
            .OrderBy(b => b.OccurredAt).ThenBy(b => b.Id)
            .ToListAsync(cancellationToken);
        return await ScoreWaitingAsync(scope, lead, waiting, cancellationToken);
    }

    /// <summary>
    /// Links a website visitor's waiting behaviors (not the held ones: a release makes them waiting) to
    /// <paramref name="lead"/> and scores them in the order they happened, inside the caller's transaction and write
    /// gate. Returns how many it linked.
    /// </summary>
    internal async Task<int> LinkVisitorAsync(WriteScope scope, Lead lead, long visitorId, CancellationToken cancellationToken)
    {
        var waiting = await scope.Db.Behaviors
            .Where(b => b.VisitorId == visitorId && b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked)
            .OrderBy(b => b.OccurredAt).ThenBy(b => b.Id)
            .ToListAsync(cancellationToken);
        var linked = await ScoreWaitingAsync(scope, lead, waiting, cancellationToken);
        if (linked > 0)
        {
            await notifications.AnnounceAsync(scope, ScoreNotifications.ChangesOf([lead]), cancellationToken);
        }
        return linked;
    }

    // Scores behaviors that waited (tracked by the caller's context), oldest first, for one lead.
    private async Task<int> ScoreWaitingAsync(WriteScope scope, Lead lead, List<StoredBehavior> waiting, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        if (waiting.Count == 0)
        {
            return 0;
        }

        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        var writes = new LedgerWrites();
        var counters = await LedgerCounters.TrackedAsync(db, ruleSet, lead.Id, writes, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var scorer = new Scorer(writes, ruleSet, counters, now);
        foreach (var behavior in waiting)
        {
            scorer.Score(lead, behavior, AttributeJson.Read(behavior.AttributesJson));
        }
        // Behaviors, the lead and existing counters are tracked; the new rows join the caller's SaveChanges. A decay
        // entry names the entry it fades by id only, so those wait for the rule entries' ids.
        db.ScoreEntries.AddRange(writes.Entries.Where(e => e.Decays is null));
        db.PendingDecays.AddRange(writes.PendingDecays);
        if (writes.Entries.Any(e => e.Decays is not null))
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var decay in writes.Entries.Where(e => e.Decays is not null))
            {
                decay.DecaysEntryId = decay.Decays!.Id;
                db.ScoreEntries.Add(decay);
            }
        }
        db.IntentLevelChanges.AddRange(writes.LevelChanges);
        db.StageChanges.AddRange(writes.StageChanges);
        store.On(db).WriteSums(writes);
        await reactions.RunAsync(new ScoreChanges(scope, writes, ruleSet, now, ScoreChangeCause.Linking), cancellationToken);
        return waiting.Count;
    }

    // The leads a batch names, by id or by contact identity.
    private static BatchLeads LeadsOfBatch(ILedgerStatements reads, IReadOnlyList<IncomingBehavior> batch)
    {
        var byContact = batch.Where(b => b.LeadId is null).Select(b => b.Contact).ToList();
        return new BatchLeads(reads.Leads(
            batch.Where(b => b.LeadId is not null).Select(b => b.LeadId!.Value).Distinct(),
            byContact.Where(c => c.Email is not null).Select(c => c.Email!).Distinct(),
            byContact.Where(c => c.Phone is not null).Select(c => c.Phone!).Distinct(),
            byContact.Where(c => c.ExternalId is not null).Select(c => c.ExternalId!).Distinct()));
    }

    private sealed class BatchLeads
    {
        private readonly Dictionary<long, LedgerLead> _byId;
        private readonly Dictionary<string, LedgerLead> _byEmail = [];
        private readonly Dictionary<string, LedgerLead> _byPhone = [];
        private readonly Dictionary<string, LedgerLead> _byExternalId = [];

        public BatchLeads(List<LedgerLead> leadsOldestFirst)
        {
            All = leadsOldestFirst;
            _byId = leadsOldestFirst.ToDictionary(l => l.Id);
            // When several leads share an identity, the oldest one gets the behavior.
            foreach (var lead in leadsOldestFirst)
            {
                if (lead.Email is { } email) _byEmail.TryAdd(email, lead);
                if (lead.Phone is { } phone) _byPhone.TryAdd(phone, lead);
                if (lead.ExternalId is { } externalId) _byExternalId.TryAdd(externalId, lead);
            }
        }

        public IReadOnlyList<LedgerLead> All { get; }

        // leadId wins over contact; among contact parts the external id is the most specific.
        public LedgerLead? Resolve(IncomingBehavior behavior)
        {
            if (behavior.LeadId is { } id)
            {
                return _byId.GetValueOrDefault(id);
            }
            var contact = behavior.Contact;
            return (contact.ExternalId is { } x ? _byExternalId.GetValueOrDefault(x) : null)
                ?? (contact.Email is { } e ? _byEmail.GetValueOrDefault(e) : null)
                ?? (contact.Phone is { } p ? _byPhone.GetValueOrDefault(p) : null);
        }
    }

    // Runs the engine for one behavior of one lead and records what it produced on the tracked entities.
    // categoryScores: the stored category scores of the batch's leads, for the answers (empty on paths that discard them).
    private sealed class Scorer(LedgerWrites writes, CompiledRuleSet? ruleSet, LedgerCounters counters, DateTime now,
        Dictionary<long, Dictionary<string, long>>? categoryScores = null)
    {
        private static readonly IReadOnlyDictionary<string, long> s_noCategories = new Dictionary<string, long>();
        private readonly IntentBands? _bands = PublishedRuleSets.BandsOf(ruleSet);
        private readonly StagePath _stages = ruleSet?.Stages ?? StagePath.Default;

        public IngestResult Score(IScoredLead lead, StoredBehavior behavior, IReadOnlyDictionary<string, AttributeValue> attributes)
        {
            var occurrence = new BehaviorOccurrence(behavior.Type, behavior.OccurredAt, attributes);
            var limits = counters.For(lead.Id);
            var hits = ruleSet is null ? [] : ScoringEngine.Score(ruleSet, occurrence, limits);

            writes.Track(lead);
            var levelBefore = lead.IntentLevel;
            var entries = new List<EntrySummary>(hits.Count);
            var points = 0;
            foreach (var hit in hits)
            {
                var entry = new ScoreEntry
                {
                    LeadId = lead.Id,
                    Kind = ScoreEntryKind.Rule,
                    Points = hit.Points,
                    RuleName = hit.Rule.Name,
                    RuleSetVersion = ruleSet!.Version,
                    Behavior = behavior,
                    EventId = behavior.EventId,
                    BehaviorType = behavior.Type,
                    OccurredAt = behavior.OccurredAt,
                    ScoredAt = now,
                    Category = hit.Rule.Category,
                };
                writes.AddEntry(entry, lead.TeamId);
                Credit(lead, entry);
                points += hit.Points;
                entries.Add(new EntrySummary(hit.Rule.Name, hit.Points, ScoreEntryKind.Rule, entry.Category));
                // Steps of its fading already due (an old behavior) are written now, so the answer's total holds them.
                var faded = writes.AddDecays(entry, hit.Rule.Decay, now);
                if (faded.Count > 0)
                {
                    foreach (var decay in faded)
                    {
                        Credit(lead, decay);
                    }
                    var fadedPoints = faded.Sum(d => d.Points);
                    points += fadedPoints;
                    entries.Add(new EntrySummary(hit.Rule.Name, fadedPoints, ScoreEntryKind.Decay, entry.Category));
                }
            }
            limits.Record(hits);

            if (IntentLevelChange.Of(lead, levelBefore, now) is { } change)
            {
                writes.LevelChanges.Add(change);
            }
            lead.RecordActivity(behavior.OccurredAt);
            behavior.LeadId = lead.Id;
            behavior.Outcome = hits.Count > 0 ? BehaviorOutcome.Scored : BehaviorOutcome.NoMatch;

            return new IngestResult(
                behavior.EventId,
                hits.Count > 0 ? IngestStatus.Scored : IngestStatus.NoMatch,
                lead.Id,
                points,
                lead.BehaviorPoints,
                lead.IntentLevel,
                entries,
                CategoriesOf(lead.Id),
                lead.Stage,
                lead.StageScore);
        }

        private void Credit(IScoredLead lead, ScoreEntry entry)
        {
            writes.Credit(lead, entry, _bands, _stages, now);
            if (entry.Category is { } category && categoryScores is not null)
            {
                var scores = categoryScores.TryGetValue(lead.Id, out var known) ? known : categoryScores[lead.Id] = [];
                scores[category] = scores.GetValueOrDefault(category) + entry.Points;
            }
        }

        // Every category of the rule set with the lead's score in it now (0 where it has none yet).
        private IReadOnlyDictionary<string, long> CategoriesOf(long leadId)
        {
            if (ruleSet is not { Categories.Count: > 0 } || categoryScores is null)
            {
                return s_noCategories;
            }
            var scores = categoryScores.GetValueOrDefault(leadId);
            return ruleSet.Categories.ToDictionary(c => c.Name, c => scores?.GetValueOrDefault(c.Name) ?? 0L);
        }
    }
}
