using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>The saved routing rules with when and by whom they were saved last.</summary>
public sealed record SavedRoutingRules(RoutingRuleList List, int Version, DateTime? UpdatedAt, string? UpdatedBy);

/// <summary>
/// The routing rules' administration (SPEC §10): reading and saving the ordered list (checked against the published
/// intent levels and categories, the teams and the users; names stored in their canonical spelling), how many leads are
/// inside a rule's trigger now, and applying a rule to them as a background job.
/// </summary>
public sealed class RoutingRuleService(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    PublishedRuleSets publishedRuleSets,
    PublishedRoutingRules routingRules,
    RoutingApply apply,
    TimeProvider clock)
{
    public async Task<SavedRoutingRules> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.RoutingRuleSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == PublishedRoutingRules.RowId, cancellationToken);
        return row is null
            ? new SavedRoutingRules(RoutingRuleList.Empty, 0, null, null)
            : new SavedRoutingRules(PublishedRoutingRules.Read(row.DefinitionJson), row.Version, row.UpdatedAt, row.UpdatedBy);
    }

    /// <summary>What rules may name now: the published intent levels and categories, the teams and the users.</summary>
    public async Task<RoutingNames> NamesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await NamesAsync(db, cancellationToken);
    }

    private async Task<RoutingNames> NamesAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken)
    {
        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        var bands = PublishedRuleSets.BandsOf(ruleSet);
        return new RoutingNames(
            bands?.Options.Select(o => o.Label).ToList() ?? [],
            ruleSet?.Categories.Select(c => c.Name).ToList() ?? [],
            await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(cancellationToken),
            await db.Users.AsNoTracking().Where(u => u.Email != null).OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(cancellationToken));
    }

    /// <summary>Checks and saves the whole ordered list; throws <see cref="ValidationFailedException"/> with every problem.</summary>
    public async Task<SavedRoutingRules> SaveAsync(RoutingRuleList list, string? savedBy, CancellationToken cancellationToken = default)
    {
        return await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var names = await NamesAsync(db, cancellationToken);
            var errors = RoutingRuleValidator.Validate(list, names);
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }
            var canonical = Canonical(list, names);
            var now = clock.GetUtcNow().UtcDateTime;
            var row = await db.RoutingRuleSets.FirstOrDefaultAsync(s => s.Id == PublishedRoutingRules.RowId, cancellationToken);
            if (row is null)
            {
                row = new RoutingRuleSet { Id = PublishedRoutingRules.RowId };
                db.RoutingRuleSets.Add(row);
            }
            row.Version++;
            row.DefinitionJson = JsonSerializer.Serialize(canonical, CoreJson.Options);
            row.UpdatedAt = now;
            row.UpdatedBy = savedBy;
            return new SavedRoutingRules(canonical, row.Version, now, savedBy);
        }, cancellationToken);
    }

    /// <summary>
    /// How many leads are inside <paramref name="rule"/>'s trigger now and pass its conditions: the leads applying it
    /// to existing leads would route ("312 leads are High now").
    /// </summary>
    public async Task<int> CountInsideAsync(RoutingRuleDefinition rule, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var compiled = new CompiledRoutingRule(rule);
        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        var inside = InsideTrigger(db, compiled, PublishedRuleSets.BandsOf(ruleSet));
        if (rule.Conditions.Count == 0)
        {
            return await inside.CountAsync(cancellationToken);
        }
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var count = 0;
        await foreach (var batch in inside.AsNoTracking().BatchesAsync(l => l, l => l.Id, 2_000, cancellationToken))
        {
            count += batch.Count(l => compiled.Matches(CompiledRoutingRule.FieldsOf(l, l.TeamId is { } t ? teams.GetValueOrDefault(t) : null)));
        }
        return count;
    }

    /// <summary>Starts applying a saved rule to the leads inside its trigger now, in the background; refused while another apply runs.</summary>
    public async Task StartApplyAsync(string ruleName, string? startedBy, CancellationToken cancellationToken = default)
    {
        await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var rules = await routingRules.CurrentAsync(db, cancellationToken);
            var rule = rules.Find(ruleName) ?? throw new NotFoundException($"No saved routing rule is called '{ruleName}'. Save the rule first.");
            var running = await db.LeadJobRuns.AsNoTracking().Where(r => r.Job == RoutingApply.JobCode && r.FinishedAt == null).Select(r => r.Argument).FirstOrDefaultAsync(cancellationToken);
            if (running is not null)
            {
                throw new ConflictException($"Rule '{running}' is being applied to existing leads; wait until it finishes.");
            }
            await LeadJob.StartAsync(db, RoutingApply.JobCode, rules.Version, startedBy, clock.GetUtcNow().UtcDateTime, cancellationToken, rule.Name);
        }, cancellationToken);
        apply.Request();
    }

    /// <summary>The apply run going on, if any: the rule's name and its progress.</summary>
    public (string RuleName, JobProgress Progress)? ApplyProgress => apply.Progress is { } progress && apply.RuleName is { } name ? (name, progress) : null;

    /// <summary>The leads inside the rule's trigger (fields not yet tested).</summary>
    internal static IQueryable<Lead> InsideTrigger(BehaviorPointsDbContext db, CompiledRoutingRule rule, IntentBands? bands) =>
        // A closed lead (converted or lost) is never routed, so it is not counted or applied to either.
        InsideTriggerAtAnyStatus(db, rule, bands).Where(l => l.Status != LeadStatus.Converted && l.Status != LeadStatus.Lost);

    private static IQueryable<Lead> InsideTriggerAtAnyStatus(BehaviorPointsDbContext db, CompiledRoutingRule rule, IntentBands? bands)
    {
        if (rule.IntentLevel is { } level)
        {
            var labels = bands?.Options.Select(o => o.Label).ToList() ?? [];
            var from = labels.FindIndex(l => string.Equals(l, level, StringComparison.OrdinalIgnoreCase));
            var levels = from < 0 ? [] : labels.Skip(from).ToList();
            return db.Leads.Where(l => l.IntentLevel != null && levels.Contains(l.IntentLevel));
        }
        var category = rule.Category!;
        var min = rule.MinScore;
        return db.Leads.Where(l => db.LeadCategoryScores.Any(s => s.LeadId == l.Id && s.Category == category && s.Points >= min));
    }

    // Names as the lists spell them (a rule said "high" for the level "High"), emails lower-cased, names trimmed.
    private static RoutingRuleList Canonical(RoutingRuleList list, RoutingNames names)
    {
        static string? Spelled(string? value, IEnumerable<string> known) =>
            value is null ? null : known.FirstOrDefault(k => string.Equals(k, value.Trim(), StringComparison.OrdinalIgnoreCase)) ?? value.Trim();
        return new RoutingRuleList
        {
            Rules = [.. list.Rules.Select(r => r with
            {
                Name = r.Name.Trim(),
                Trigger = new RoutingTriggerDefinition
                {
                    IntentLevel = string.IsNullOrWhiteSpace(r.Trigger.IntentLevel) ? null : Spelled(r.Trigger.IntentLevel, names.IntentLevels),
                    Category = string.IsNullOrWhiteSpace(r.Trigger.Category) ? null : Spelled(r.Trigger.Category, names.Categories),
                    MinScore = string.IsNullOrWhiteSpace(r.Trigger.Category) ? null : r.Trigger.MinScore,
                },
                Conditions = r.Conditions ?? [],
                Assign = r.Assign.Mode == RoutingAssignDefinition.UserMode
                    ? new RoutingAssignDefinition { Mode = r.Assign.Mode, UserEmail = r.Assign.UserEmail?.Trim().ToLowerInvariant(), Capacity = r.Assign.Capacity }
                    : new RoutingAssignDefinition { Mode = r.Assign.Mode, Team = Spelled(r.Assign.Team, names.Teams), Capacity = r.Assign.Capacity },
            })],
        };
    }
}
