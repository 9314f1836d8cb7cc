using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>
/// Applies one saved routing rule to the leads already inside its trigger (SPEC §10: "312 leads are High now"), in the
/// background, <see cref="BatchSize"/> leads per transaction in id order, never in one transaction: each batch fires the
/// rule for its leads that pass the conditions (not within the rule's minimum interval), with one summary notification
/// per rep when a batch routes many leads to them. The run's position commits with each batch, so a restart continues.
/// </summary>
public sealed class RoutingApply(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    JobLeases leases,
    PublishedRoutingRules routingRules,
    PublishedRuleSets publishedRuleSets,
    IRoutingStore store,
    UserSignals signals,
    WebhookOutbox outbox,
    TimeProvider clock)
    : LeadJob(dbFactory, unitOfWork, leases, clock)
{
    public const string JobCode = "routing";
    public const int BatchSize = 1_000;

    /// <summary>A rep told about more leads than this in one batch gets one summary instead.</summary>
    public const int NotificationsPerRepAndBatch = 3;

    public override string Name => "Routing apply";

    protected override string Code => JobCode;

    protected override int LeadsPerTransaction => BatchSize;

    /// <summary>The rule the current or last run applies.</summary>
    public string? RuleName { get; private set; }

    protected override async Task ProcessAsync(WriteScope scope, LeadJobRun run, long firstId, long lastId, DateTime now, CancellationToken cancellationToken)
    {
        RuleName = run.Argument;
        var db = scope.Db;
        var rules = await routingRules.CurrentAsync(db, cancellationToken);
        if (run.Argument is not { } name || rules.Find(name) is not { } rule)
        {
            // The rule was removed or renamed since: nothing left to apply.
            return;
        }
        var bands = PublishedRuleSets.BandsOf(await publishedRuleSets.CurrentAsync(db, cancellationToken));
        var leads = await RoutingRuleService.InsideTrigger(db, rule, bands).AsNoTracking()
            .Where(l => l.Id >= firstId && l.Id <= lastId)
            .OrderBy(l => l.Id)
            .ToListAsync(cancellationToken);
        if (leads.Count == 0)
        {
            return;
        }
        var work = new RoutingWork(scope, store, signals, outbox, now) { SummarizeAbove = NotificationsPerRepAndBatch };
        await work.LoadFiringsAsync(leads.Select(l => l.Id), cancellationToken);
        await work.LoadOpenTasksAsync(leads.Select(l => l.Id), cancellationToken);
        var inside = rule.IntentLevel is { } level
            ? Said.Of("applied to the leads already {0}", level)
            : Said.Of("applied to the leads with {0} score {1} or more already", rule.Category, rule.MinScore.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var lead in leads)
        {
            if (rule.Matches(CompiledRoutingRule.FieldsOf(lead, await work.TeamNameAsync(lead.TeamId, cancellationToken))) && !work.FiredWithin(lead.Id, rule))
            {
                await LeadRouter.FireAsync(work, rule, lead, inside, cancellationToken);
            }
        }
        await work.FlushAsync(cancellationToken);
    }
}
