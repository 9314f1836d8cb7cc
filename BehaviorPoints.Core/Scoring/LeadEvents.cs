using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Scoring;

/// <summary>The event types webhooks report (SPEC §11).</summary>
public static class LeadEventTypes
{
    public const string IntentLevelChanged = "lead.intent_level_changed";
    public const string Assigned = "lead.assigned";
    public const string TaskCreated = "task.created";
    public const string TaskOverdue = "task.overdue";
    public const string LeadCreated = "lead.created";
    public const string CategoryThresholdReached = "lead.category_threshold_reached";

    /// <summary>Sent to one endpoint on request, never subscribed to.</summary>
    public const string Test = "webhook.test";

    public static IReadOnlyList<string> All { get; } = [IntentLevelChanged, Assigned, TaskCreated, TaskOverdue, LeadCreated, CategoryThresholdReached];

    /// <summary>What each type reports, in the words of the endpoint form.</summary>
    public static string Describe(string type, IWords? words = null)
    {
        words ??= Words.English;
        return type switch
        {
            IntentLevelChanged => words["A lead's Intent Level changed"],
            Assigned => words["A lead was assigned to a rep"],
            TaskCreated => words["A follow-up task was created"],
            TaskOverdue => words["A follow-up task became overdue"],
            LeadCreated => words["A lead was created"],
            CategoryThresholdReached => words["A lead's category score reached the category's top range"],
            Test => words["A test event sent by hand"],
            _ => type,
        };
    }
}

/// <summary>Something that happened to a lead, for the systems around the app: its type, when, and its <c>data</c> object.</summary>
public sealed record LeadEvent(string Type, long LeadId, DateTime At, object Data)
{
    /// <summary>The <c>lead.intent_level_changed</c> event (SPEC §11's data: leadId, from, to, total, at).</summary>
    public static LeadEvent IntentLevelChanged(long leadId, string? from, string? to, long total, DateTime at) =>
        new(LeadEventTypes.IntentLevelChanged, leadId, at, new { leadId, from, to, total, at });
}

/// <summary>
/// The outbox: writes a message for each event and each endpoint that wants its type, in the transaction of the change
/// the event reports, so nothing is sent for a change that rolled back and nothing is lost for one that committed
/// (<c>Webhooks/WebhookOutbox.cs</c>). Costs one small read per transaction when events come and nobody subscribes.
/// </summary>
public interface ILeadEventOutbox
{
    Task AddAsync(WriteScope scope, IReadOnlyCollection<LeadEvent> events, CancellationToken cancellationToken);

    /// <summary>Whether an enabled endpoint wants events of <paramref name="type"/> (to skip building many events nobody wants).</summary>
    Task<bool> WantsAsync(WriteScope scope, string type, CancellationToken cancellationToken);

    /// <summary>
    /// The events of a ledger transaction's score changes, after its rows are written: intent level changes, and
    /// categories whose score reached their top range.
    /// </summary>
    Task AddScoreChangesAsync(WriteScope scope, LedgerWrites writes, CompiledRuleSet? ruleSet, DateTime now, CancellationToken cancellationToken);
}
