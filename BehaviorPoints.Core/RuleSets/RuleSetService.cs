using System.Text.Json;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>A published version as listed in the history.</summary>
public sealed record RuleSetVersionInfo(int Version, DateTime PublishedAt, string? PublishedBy);

/// <summary>What publishing does to the scores already written.</summary>
public enum PublishMode
{
    /// <summary>The new version scores behaviors received from now on; entries already written stay.</summary>
    NewBehaviorsOnly,

    /// <summary>Every lead is re-scored from its stored behaviors in the background (see <see cref="Rescoring"/>).</summary>
    RescoreEveryLead,
}

/// <summary>Edits the draft rule set and publishes it as immutable versions.</summary>
public sealed class RuleSetService(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    BehaviorTypes behaviorTypes,
    UnitOfWork unitOfWork,
    ILedgerStore ledger,
    Rescoring rescoring,
    WebhookOutbox outbox,
    TimeProvider clock)
{
    /// <summary>The draft of the Leads rule set, or null when none was created yet.</summary>
    public async Task<RuleSetDefinition?> GetDraftAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.RuleSets.AsNoTracking()
            .Where(r => r.ScoringObject == ScoringObjects.Leads)
            .Select(r => r.DraftJson)
            .FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : Deserialize(json);
    }

    /// <summary>The number of the version in force, or null before the first publish.</summary>
    public async Task<int?> GetPublishedVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RuleSets.AsNoTracking()
            .Where(r => r.ScoringObject == ScoringObjects.Leads)
            .Select(r => r.PublishedVersion)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Checks a definition against the catalog and the other rule sets' API names.</summary>
    public async Task<IReadOnlyList<FieldError>> ValidateAsync(RuleSetDefinition definition, CancellationToken cancellationToken = default)
    {
        var catalog = await behaviorTypes.CatalogAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // An object that is not a scoring object is refused by the validator; it never goes into a query (it may hold
        // anything, a NUL included, which PostgreSQL refuses outright).
        var scoringObject = ScoringObjects.All.FirstOrDefault(o => o == definition.Object) ?? "";
        var otherApiNames = await db.RuleSets.AsNoTracking()
            .Where(r => r.ScoringObject != scoringObject)
            .Select(r => r.ApiName)
            .ToListAsync(cancellationToken);
        return RuleSetValidator.Validate(definition, catalog, name => otherApiNames.Contains(name, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Creates the rule set of a scoring object; refuses a second one for the same object.</summary>
    public async Task CreateAsync(RuleSetDefinition definition, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.RuleSets.AsNoTracking().AnyAsync(r => r.ScoringObject == definition.Object, cancellationToken);
        if (existing)
        {
            throw new ValidationFailedException("object",
                "{0} already has a rule set; there is one rule set per scoring object, so edit that one instead.", definition.Object);
        }
        await SaveDraftAsync(definition, cancellationToken);
    }

    /// <summary>Saves the draft (creating the rule set on first save). Published versions are untouched.</summary>
    public async Task SaveDraftAsync(RuleSetDefinition definition, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateAsync(definition, cancellationToken);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ruleSet = await db.RuleSets.FirstOrDefaultAsync(r => r.ScoringObject == definition.Object, cancellationToken);
        if (ruleSet is null)
        {
            ruleSet = new RuleSet { ScoringObject = definition.Object };
            db.RuleSets.Add(ruleSet);
        }
        ruleSet.ApiName = definition.ApiName;
        ruleSet.DraftJson = JsonSerializer.Serialize(definition, CoreJson.Options);
        ruleSet.DraftUpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes the draft as the next version. It scores behaviors received from now on; with
    /// <see cref="PublishMode.RescoreEveryLead"/> every lead is also re-scored from its stored behaviors in the
    /// background. Every lead's intent level follows the new version's ranges at once.
    /// </summary>
    public async Task<int> PublishAsync(string? publishedBy, CancellationToken cancellationToken = default) =>
        await PublishAsync(publishedBy, PublishMode.NewBehaviorsOnly, cancellationToken);

    /// <inheritdoc cref="PublishAsync(string?, CancellationToken)"/>
    public async Task<int> PublishAsync(string? publishedBy, PublishMode mode, CancellationToken cancellationToken = default)
    {
        var draft = await GetDraftAsync(cancellationToken)
            ?? throw new NotFoundException("There is no rule set to publish yet: save a draft first.");
        var errors = await ValidateAsync(draft, cancellationToken);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var ruleSet = await db.RuleSets.SingleAsync(r => r.ScoringObject == ScoringObjects.Leads, cancellationToken);
            if (ruleSet.PublishedVersion is { } current
                && await db.RuleSetVersions.Where(v => v.RuleSetId == ruleSet.Id && v.Version == current).Select(v => v.DefinitionJson).SingleOrDefaultAsync(cancellationToken) is { } published
                && SameDefinition(published, ruleSet.DraftJson))
            {
                throw new ConflictException($"The draft is identical to published version {current}: there is nothing to publish. Change the draft first.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var version = (ruleSet.PublishedVersion ?? 0) + 1;
            db.RuleSetVersions.Add(new RuleSetVersion
            {
                RuleSetId = ruleSet.Id,
                Version = version,
                DefinitionJson = ruleSet.DraftJson,
                PublishedAt = now,
                PublishedBy = publishedBy,
            });
            ruleSet.PublishedVersion = version;
            await db.SaveChangesAsync(cancellationToken);

            // Every lead moves to its level under the new ranges at once, so the level always matches the total.
            var bands = draft.IntentField is null ? null : IntentBands.From(draft.IntentField);
            var lastChange = await db.IntentLevelChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            await ledger.On(db).RebandAsync(bands, now, cancellationToken);
            if (await outbox.WantsAsync(scope, LeadIntentLevelChanged.TypeName, cancellationToken))
            {
                var moved = await db.IntentLevelChanges.Where(c => c.Id > lastChange).OrderBy(c => c.Id)
                    .Join(db.Leads, c => c.LeadId, l => l.Id, (c, l) => new { c.LeadId, c.From, c.To, l.BehaviorPoints })
                    .ToListAsync(cancellationToken);
                await outbox.AddAsync(scope, [.. moved.Select(m => new LeadIntentLevelChanged(m.LeadId, m.From, m.To, m.BehaviorPoints, now))], cancellationToken);
            }
            if (mode == PublishMode.RescoreEveryLead)
            {
                await LeadJob.StartAsync(db, Rescoring.JobCode, version, publishedBy, now, cancellationToken);
                scope.AfterCommit(rescoring.Request);
            }
            return version;
        }, cancellationToken);
    }


    private static bool SameDefinition(string publishedJson, string draftJson) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize<RuleSetDefinition>(publishedJson, CoreJson.Options), CoreJson.Options)
        == JsonSerializer.Serialize(JsonSerializer.Deserialize<RuleSetDefinition>(draftJson, CoreJson.Options), CoreJson.Options);

    public async Task<IReadOnlyList<RuleSetVersionInfo>> ListVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RuleSetVersions.AsNoTracking()
            .OrderByDescending(v => v.Version)
            .Select(v => new RuleSetVersionInfo(v.Version, v.PublishedAt, v.PublishedBy))
            .ToListAsync(cancellationToken);
    }

    public async Task<RuleSetDefinition?> GetVersionAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.RuleSetVersions.AsNoTracking()
            .Where(v => v.Version == version)
            .Select(v => v.DefinitionJson)
            .FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : Deserialize(json);
    }


    private static RuleSetDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<RuleSetDefinition>(json, CoreJson.Options)!;
}
