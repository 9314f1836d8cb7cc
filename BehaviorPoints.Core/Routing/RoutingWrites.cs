using BehaviorPoints.Core.Domain;

namespace BehaviorPoints.Core.Routing;

/// <summary>
/// The rows routing adds to a ledger transaction (SPEC §10): new owners, follow-up tasks, the timeline's activities (an activity
/// about a new task names it once the task has its id), notifications and the firings kept for minimum intervals.
/// Written by the provider's <see cref="IRoutingStatements.Write"/>: a busy ingest routes hundreds of leads per
/// transaction, and EF's change tracker would cost more than the scoring itself.
/// </summary>
public sealed class RoutingWrites
{
    public List<FollowUpTask> Tasks { get; } = [];
    public List<(LeadActivity Activity, FollowUpTask? Task)> Activities { get; } = [];
    public List<UserNotification> Notifications { get; } = [];
    public List<RoutingFiring> Firings { get; } = [];

    /// <summary>Leads given to a new owner (and the owner's team), in order; the last one of a lead wins.</summary>
    public List<(long LeadId, string? OwnerId, int? TeamId)> Owners { get; } = [];

    public bool IsEmpty => Tasks.Count == 0 && Activities.Count == 0 && Notifications.Count == 0 && Firings.Count == 0 && Owners.Count == 0;

    public void Clear()
    {
        Tasks.Clear();
        Activities.Clear();
        Notifications.Clear();
        Firings.Clear();
        Owners.Clear();
    }
}
