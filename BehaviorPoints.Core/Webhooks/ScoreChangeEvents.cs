using BehaviorPoints.Core.Scoring;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>
/// The webhook events of score changes, written to the outbox in the scoring transaction: each lead whose Intent Level
/// moved (<see cref="LeadIntentLevelChanged"/>) and each category score that reached its top range
/// (<see cref="LeadCategoryThresholdReached"/>). Nothing is read when no level or category moved.
/// </summary>
public sealed class ScoreChangeEvents(WebhookOutbox outbox, ILedgerStore ledger) : IScoreChangeHandler
{
    public async Task HandleAsync(ScoreChanges changes, CancellationToken cancellationToken)
    {
        var (scope, writes, ruleSet, now) = (changes.Scope, changes.Writes, changes.RuleSet, changes.Now);
        var levelMoved = changes.AnyLevelMoved;
        var categoriesMoved = ruleSet is { Categories.Count: > 0 } && writes.CategoryPoints.Count > 0;
        if (!levelMoved && !categoriesMoved)
        {
            return;
        }
        var wanted = await outbox.WantedTypesAsync(scope, cancellationToken);
        if (wanted.Count == 0)
        {
            return;
        }
        var events = new List<IWebhookEvent>();
        if (levelMoved && wanted.Contains(LeadIntentLevelChanged.TypeName))
        {
            foreach (var (lead, stored) in writes.Leads.OrderBy(l => l.Key.Id))
            {
                if (lead.IntentLevel != stored.Level)
                {
                    events.Add(new LeadIntentLevelChanged(lead.Id, stored.Level, lead.IntentLevel, lead.BehaviorPoints, now));
                }
            }
        }
        if (categoriesMoved && wanted.Contains(LeadCategoryThresholdReached.TypeName))
        {
            var after = ledger.On(scope.Db).CategoryScores(writes.CategoryPoints.Keys.Select(k => k.LeadId).Distinct());
            foreach (var ((leadId, category), added) in writes.CategoryPoints.OrderBy(c => c.Key.LeadId))
            {
                var threshold = ruleSet!.Categories.FirstOrDefault(c => c.Name == category)?.TopBandMin ?? 1;
                var score = after.GetValueOrDefault(leadId)?.GetValueOrDefault(category) ?? 0;
                if (score - added < threshold && score >= threshold)
                {
                    events.Add(new LeadCategoryThresholdReached(leadId, category, score, threshold, now));
                }
            }
        }
        await outbox.AddAsync(scope, events, cancellationToken);
    }
}
