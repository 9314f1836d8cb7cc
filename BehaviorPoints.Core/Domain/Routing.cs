namespace BehaviorPoints.Core.Domain;

/// <summary>
/// The routing rules (SPEC §10) as one ordered list, saved whole: <see cref="DefinitionJson"/> holds a
/// <c>RoutingRuleList</c>. One row; <see cref="Version"/> moves on each save, so every app instance recompiles once.
/// </summary>
public sealed class RoutingRuleSet
{
    public int Id { get; set; }
    public int Version { get; set; }
    public string DefinitionJson { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A team's round-robin position: the rep who got its last turn. Taken and moved under the write that assigns.</summary>
public sealed class RoutingRotation
{
    public int TeamId { get; set; }
    public string? LastUserId { get; set; }
}

/// <summary>When a routing rule last fired for a lead, for its minimum interval.</summary>
public sealed class RoutingFiring
{
    public long LeadId { get; set; }
    public string RuleName { get; set; } = "";
    public DateTime FiredAt { get; set; }
}

public enum FollowUpStatus
{
    Open,
    Done,
    Reclaimed,
}

public enum FollowUpOutcome
{
    Contacted,
    NotReached,
    Disqualified,
}

/// <summary>
/// A follow-up task: the lead's owner should act by <see cref="DueAt"/>. Still open at <see cref="ReclaimAt"/> (due
/// plus grace), the lead goes back to the pool and on to the next rep, up to <see cref="MaxReclaims"/> times.
/// </summary>
public sealed class FollowUpTask
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public string AssigneeId { get; set; } = "";
    public ApplicationUser? Assignee { get; set; }

    /// <summary>The routing rule that created it; null for a task created by hand.</summary>
    public string? RuleName { get; set; }

    /// <summary>The team whose rotation re-routes the lead on a reclaim (a round-robin rule's team).</summary>
    public int? RotationTeamId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime ReclaimAt { get; set; }
    public int DueAfterMinutes { get; set; }
    public int GraceMinutes { get; set; }
    public int MaxReclaims { get; set; }

    /// <summary>How many times this lead was reclaimed before this task (0 for the first task of a firing).</summary>
    public int Reclaims { get; set; }

    /// <summary>When the lead entered the rule's trigger: speed to lead counts from here, across reclaims.</summary>
    public DateTime TriggeredAt { get; set; }
    public FollowUpStatus Status { get; set; }
    public FollowUpOutcome? Outcome { get; set; }
    public string? Note { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }

    /// <summary>When the assignee was told it is overdue; null until then.</summary>
    public DateTime? OverdueNotifiedAt { get; set; }
}

public enum LeadActivityKind
{
    Assigned,
    Claimed,
    TaskCreated,
    TaskCompleted,
    TaskOverdue,
    Reclaimed,
    LeftInPool,

    /// <summary>A website visitor identified as this lead (its behaviors before and after come here; 16 characters at most, as every kind).</summary>
    Identified,

    /// <summary>A visitor that was this lead identified as another lead: its later behaviors go there.</summary>
    VisitorMovedAway,
}

/// <summary>
/// One thing that happened to a lead beyond its score (an assignment, a claim, a task created, done or overdue, a
/// reclaim), written in the transaction that made it happen. The lead page's timeline reads these; they are the one
/// list of "things that happened" that notifications and webhooks are made from.
/// </summary>
public sealed class LeadActivity
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public LeadActivityKind Kind { get; set; }
    public DateTime At { get; set; }

    /// <summary>The user it concerns (the new owner, the claimer, the assignee); null when none.</summary>
    public string? UserId { get; set; }
    public long? TaskId { get; set; }
    public string? RuleName { get; set; }

    /// <summary>The sentence the timeline shows, e.g. "Assigned to Ana by rule 'Hot leads North' when Intent Level became High".</summary>
    public string Reason { get; set; } = "";

    /// <summary>The same sentence to be said in the reader's language (<see cref="Said"/> as JSON); null on older rows.</summary>
    public string? ReasonSaid { get; set; }
}

public enum NotificationKind
{
    Assigned,
    TaskOverdue,
    Reclaimed,
    NobodyAvailable,

    /// <summary>A follow-up task for a lead the user owns already.</summary>
    TaskCreated,
}

/// <summary>An in-app notification for one user; the bell counts the unread ones.</summary>
public sealed class UserNotification
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public NotificationKind Kind { get; set; }
    public long? LeadId { get; set; }
    public string Text { get; set; } = "";

    /// <summary>The same text to be said in the reader's language (<see cref="Said"/> as JSON); null on older rows.</summary>
    public string? TextSaid { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}
