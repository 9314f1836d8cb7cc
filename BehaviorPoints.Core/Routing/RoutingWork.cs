using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>A user routing may hand leads to, as one transaction read them.</summary>
internal sealed record RoutingUser(string Id, string Email, string? DisplayName, bool Away, bool Disabled)
{
    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email : DisplayName;
}

/// <summary>
/// What routing does inside one write transaction: assigns leads (round-robin turns taken from the stored rotation),
/// creates follow-up tasks, writes the timeline's activities and the users' notifications. It reads teams, reps and their
/// open-task counts once per transaction and keeps them current as it assigns, so a batch of a thousand leads costs a
/// few queries beside its rows. The signals it collects are sent once the transaction commits.
/// </summary>
internal sealed class RoutingWork(WriteScope scope, IRoutingStore store, UserSignals signals, WebhookOutbox outbox, DateTime now)
{
    private readonly RoutingWrites _rows = new();
    private readonly BehaviorPointsDbContext _db = scope.Db;
    private readonly Dictionary<string, int?> _teamIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, string> _teamNames = [];
    private readonly Dictionary<int, List<RoutingUser>> _salesByTeam = [];
    private readonly Dictionary<int, List<RoutingUser>> _managersByTeam = [];
    private readonly Dictionary<string, RoutingUser?> _usersByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RoutingUser> _usersById = [];
    private readonly Dictionary<string, int> _openTasks = [];
    private readonly Dictionary<(long, string), RoutingFiring> _firings = [];
    private readonly HashSet<long> _firingsLoaded = [];
    private readonly HashSet<long> _openTaskLeads = [];
    private readonly HashSet<long> _openTasksLoaded = [];
    private readonly HashSet<string> _signalled = [];

    /// <summary>Collapse notifications: a user told about more than this many leads in one transaction gets one summary.</summary>
    public int? SummarizeAbove { get; init; }
    private readonly Dictionary<string, List<UserNotification>> _notifications = [];

    public DateTime Now => now;
    public BehaviorPointsDbContext Db => _db;

    public async Task<int?> TeamIdAsync(string name, CancellationToken cancellationToken)
    {
        if (!_teamIds.TryGetValue(name, out var id))
        {
            var team = await _db.Teams.AsNoTracking().Where(t => t.Name == name).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken)
                ?? (await _db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken))
                    .FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
            _teamIds[name] = id = team?.Id;
            if (team is not null)
            {
                _teamNames[team.Id] = team.Name;
            }
        }
        return id;
    }

    public async Task<string?> TeamNameAsync(int? teamId, CancellationToken cancellationToken)
    {
        if (teamId is not { } id)
        {
            return null;
        }
        if (!_teamNames.TryGetValue(id, out var name))
        {
            name = await _db.Teams.AsNoTracking().Where(t => t.Id == id).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
            _teamNames[id] = name;
        }
        return name.Length == 0 ? null : name;
    }

    public async Task<RoutingUser?> UserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        if (!_usersByEmail.TryGetValue(email, out var user))
        {
            var normalized = email.Trim().ToUpperInvariant();
            user = (await UsersAsync(_db.Users.Where(u => u.NormalizedEmail == normalized), cancellationToken)).FirstOrDefault();
            _usersByEmail[email] = user;
        }
        return user;
    }

    public async Task<RoutingUser?> UserByIdAsync(string? id, CancellationToken cancellationToken) =>
        id is null ? null
        : _usersById.TryGetValue(id, out var user) ? user
        : (await UsersAsync(_db.Users.Where(u => u.Id == id), cancellationToken)).FirstOrDefault();

    /// <summary>Users in one role, of one team or of all, by id (the rotation's order).</summary>
    private Task<List<RoutingUser>> InRoleAsync(string role, int? teamId, CancellationToken cancellationToken)
    {
        var roleId = _db.Roles.Where(r => r.Name == role).Select(r => r.Id);
        var users = _db.Users.Where(u => _db.UserRoles.Any(ur => ur.UserId == u.Id && roleId.Contains(ur.RoleId)));
        if (teamId is { } team)
        {
            users = users.Where(u => u.Teams.Any(t => t.Id == team));
        }
        return UsersAsync(users.OrderBy(u => u.Id), cancellationToken);
    }

    // The users as routing sees them, remembered by id for the rest of the transaction.
    private async Task<List<RoutingUser>> UsersAsync(IQueryable<ApplicationUser> users, CancellationToken cancellationToken)
    {
        var rows = await users.AsNoTracking().Select(u => new { u.Id, u.Email, u.DisplayName, u.IsAway, u.LockoutEnd }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => _usersById[r.Id] = new RoutingUser(r.Id, r.Email ?? "", r.DisplayName, r.IsAway, r.LockoutEnd == DateTimeOffset.MaxValue))];
    }

    private async Task<List<RoutingUser>> SalesAsync(int teamId, CancellationToken cancellationToken)
    {
        if (!_salesByTeam.TryGetValue(teamId, out var reps))
        {
            _salesByTeam[teamId] = reps = await InRoleAsync(Roles.Sales, teamId, cancellationToken);
            var ids = reps.Select(r => r.Id).Where(id => !_openTasks.ContainsKey(id)).ToList();
            var counts = await _db.FollowUpTasks.AsNoTracking()
                .Where(t => ids.Contains(t.AssigneeId) && t.Status == FollowUpStatus.Open)
                .GroupBy(t => t.AssigneeId).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            foreach (var id in ids)
            {
                _openTasks[id] = counts.GetValueOrDefault(id);
            }
        }
        return reps;
    }

    /// <summary>The team's managers (every manager when the team has none of its own), to tell when nobody can take a lead.</summary>
    public async Task<List<RoutingUser>> ManagersAsync(int? teamId, CancellationToken cancellationToken)
    {
        var key = teamId ?? 0;
        if (!_managersByTeam.TryGetValue(key, out var managers))
        {
            managers = teamId is { } id ? await InRoleAsync(Roles.Manager, id, cancellationToken) : [];
            if (managers.Count == 0)
            {
                managers = await InRoleAsync(Roles.Manager, null, cancellationToken);
            }
            managers = [.. managers.Where(m => !m.Disabled)];
            _managersByTeam[key] = managers;
        }
        return managers;
    }

    /// <summary>
    /// The team's next rep after the one who had the last turn: active (not disabled, not away), under the capacity when
    /// there is one, never <paramref name="exclude"/>. The turn is taken (the rotation moves on) in this transaction;
    /// null when nobody can take the lead.
    /// </summary>
    public async Task<RoutingUser?> NextTurnAsync(int teamId, int? capacity, string? exclude, CancellationToken cancellationToken)
    {
        var reps = await SalesAsync(teamId, cancellationToken);
        if (reps.Count == 0)
        {
            return null;
        }
        var rotation = await _db.RoutingRotations.FindAsync([teamId], cancellationToken);
        if (rotation is null)
        {
            rotation = new RoutingRotation { TeamId = teamId };
            _db.RoutingRotations.Add(rotation);
        }
        // Start after the last turn's rep (by id order, so a rep who left or joined keeps the others' order).
        var start = rotation.LastUserId is { } last ? reps.FindIndex(r => string.CompareOrdinal(r.Id, last) > 0) : 0;
        if (start < 0)
        {
            start = 0;
        }
        for (var k = 0; k < reps.Count; k++)
        {
            var rep = reps[(start + k) % reps.Count];
            if (rep.Away || rep.Disabled || rep.Id == exclude || (capacity is { } cap && _openTasks.GetValueOrDefault(rep.Id) >= cap))
            {
                continue;
            }
            rotation.LastUserId = rep.Id;
            return rep;
        }
        return null;
    }

    /// <summary>Loads the routing firings of these leads (for minimum intervals) in one query per chunk.</summary>
    public async Task LoadFiringsAsync(IEnumerable<long> leadIds, CancellationToken cancellationToken)
    {
        var missing = leadIds.Where(_firingsLoaded.Add).ToList();
        foreach (var chunk in missing.Chunk(500))
        {
            foreach (var firing in await _db.RoutingFirings.AsNoTracking().Where(f => chunk.Contains(f.LeadId)).ToListAsync(cancellationToken))
            {
                _firings[(firing.LeadId, firing.RuleName)] = firing;
            }
        }
    }

    /// <summary>Loads which of these leads hold an open follow-up task, in one query per chunk.</summary>
    public async Task LoadOpenTasksAsync(IEnumerable<long> leadIds, CancellationToken cancellationToken)
    {
        var missing = leadIds.Where(_openTasksLoaded.Add).ToList();
        foreach (var chunk in missing.Chunk(500))
        {
            _openTaskLeads.UnionWith(await _db.FollowUpTasks.AsNoTracking()
                .Where(t => chunk.Contains(t.LeadId) && t.Status == FollowUpStatus.Open).Select(t => t.LeadId).Distinct().ToListAsync(cancellationToken));
        }
    }

    /// <summary>Whether the lead holds an open follow-up task (call <see cref="LoadOpenTasksAsync"/> first), counting the ones this transaction created.</summary>
    public bool HasOpenTask(long leadId) => _openTaskLeads.Contains(leadId);

    /// <summary>Whether the rule fired for the lead within its minimum interval (call <see cref="LoadFiringsAsync"/> first).</summary>
    public bool FiredWithin(long leadId, CompiledRoutingRule rule) =>
        rule.HeldBack(_firings.TryGetValue((leadId, rule.Name), out var firing) ? firing.FiredAt : null, now);

    public void RecordFiring(long leadId, CompiledRoutingRule rule)
    {
        var firing = new RoutingFiring { LeadId = leadId, RuleName = rule.Name, FiredAt = now };
        _firings[(leadId, rule.Name)] = firing;
        _rows.Firings.Add(firing);
    }

    public FollowUpTask CreateTask(Lead lead, RoutingUser assignee, string? ruleName, RoutingTaskDefinition task, int? rotationTeamId, DateTime triggeredAt, int reclaims)
    {
        var due = now.AddMinutes(task.DueAfterMinutes);
        var created = new FollowUpTask
        {
            LeadId = lead.Id,
            AssigneeId = assignee.Id,
            RuleName = ruleName,
            RotationTeamId = rotationTeamId,
            CreatedAt = now,
            DueAt = due,
            ReclaimAt = due.AddMinutes(task.GraceMinutes),
            DueAfterMinutes = task.DueAfterMinutes,
            GraceMinutes = task.GraceMinutes,
            MaxReclaims = task.MaxReclaims,
            Reclaims = reclaims,
            TriggeredAt = triggeredAt,
            Status = FollowUpStatus.Open,
        };
        _rows.Tasks.Add(created);
        _openTaskLeads.Add(lead.Id);
        _openTasks[assignee.Id] = _openTasks.GetValueOrDefault(assignee.Id) + 1;
        Signal(assignee.Id);
        return created;
    }

    /// <summary>Gives the lead to <paramref name="ownerId"/> in <paramref name="teamId"/>: on the object, and written with the other rows.</summary>
    public void Assign(Lead lead, string? ownerId, int? teamId)
    {
        lead.AssignTo(ownerId, teamId);
        _rows.Owners.Add((lead.Id, ownerId, teamId));
    }

    public void TaskClosed(string assigneeId)
    {
        if (_openTasks.TryGetValue(assigneeId, out var open))
        {
            _openTasks[assigneeId] = Math.Max(0, open - 1);
        }
        Signal(assigneeId);
    }

    public void Activity(long leadId, LeadActivityKind kind, Said reason, string? userId = null, string? ruleName = null, FollowUpTask? task = null)
    {
        // A new task's id is known once it is written; the activity names it then.
        _rows.Activities.Add((new LeadActivity
        {
            LeadId = leadId, Kind = kind, At = now, UserId = userId, RuleName = ruleName,
            Reason = Trim(reason.ToString()), ReasonSaid = reason.ToStoredJson(), TaskId = task?.Id > 0 ? task.Id : null,
        }, task));
    }

    public void Notify(string userId, NotificationKind kind, long? leadId, Said text)
    {
        if (!_notifications.TryGetValue(userId, out var list))
        {
            _notifications[userId] = list = [];
        }
        list.Add(new UserNotification { UserId = userId, Kind = kind, LeadId = leadId, Text = Trim(text.ToString()), TextSaid = text.ToStoredJson(), CreatedAt = now });
        Signal(userId);
    }

    public void Signal(string userId) => _signalled.Add(userId);

    /// <summary>
    /// Writes the collected rows (owners, tasks, activities naming them, notifications summarized per user when there are
    /// many, firings) and announces the users they concern.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var (userId, list) in _notifications)
        {
            if (SummarizeAbove is { } above && list.Count > above)
            {
                var byKind = list.GroupBy(n => n.Kind).First();
                var summary = Said.Of("{0} leads were routed to you at once; they are in My tasks.", list.Count);
                _rows.Notifications.Add(new UserNotification
                {
                    UserId = userId,
                    Kind = byKind.Key,
                    Text = summary.ToString(),
                    TextSaid = summary.ToStoredJson(),
                    CreatedAt = now,
                });
                continue;
            }
            _rows.Notifications.AddRange(list);
        }
        _notifications.Clear();
        if (!_rows.IsEmpty)
        {
            store.On(_db).Write(_rows);
            await outbox.AddAsync(scope, [.. _rows.Activities.Select(a => EventOf(a.Activity, a.Task)).OfType<IWebhookEvent>()], cancellationToken);
            _rows.Clear();
        }
        await signals.AnnounceAsync(scope, [.. _signalled], cancellationToken);
        _signalled.Clear();
    }

    // The webhook event an activity reports (SPEC §11), once its task has its id; null for the kinds webhooks do not report.
    private IWebhookEvent? EventOf(LeadActivity activity, FollowUpTask? task)
    {
        var user = activity.UserId is { } id ? _usersById.GetValueOrDefault(id) : null;
        var leadId = activity.LeadId;
        return activity.Kind switch
        {
            LeadActivityKind.Assigned => new LeadAssigned(leadId, user?.Email, user?.Label, activity.RuleName, activity.Reason, now),
            LeadActivityKind.TaskCreated when task is not null => new TaskCreated(task.Id, leadId, user?.Email, task.DueAt, task.RuleName, task.Reclaims, now),
            LeadActivityKind.TaskOverdue when task is not null => new TaskOverdue(task.Id, leadId, user?.Email, task.DueAt, task.RuleName, task.Reclaims, now),
            _ => null,
        };
    }

    private static string Trim(string text) => text.Length <= 1000 ? text : text[..997] + "...";
}
