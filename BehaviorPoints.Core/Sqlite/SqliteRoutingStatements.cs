using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>Routing's statements for SQLite, on one unit of work's connection and transaction.</summary>
internal sealed class SqliteRoutingStore : IRoutingStore
{
    public IRoutingStatements On(BehaviorPointsDbContext db) => new SqliteRoutingStatements(db);
}

/// <summary>Routing's writes for SQLite: one prepared statement per table, executed per row.</summary>
internal sealed class SqliteRoutingStatements(BehaviorPointsDbContext db) : IRoutingStatements
{
    private readonly SqliteConnection _connection = (SqliteConnection)db.Database.GetDbConnection();

    public void Write(RoutingWrites writes)
    {
        if (writes.Owners.Count > 0)
        {
            using var update = new SqliteStatement(_connection, """UPDATE "Leads" SET "OwnerId" = $owner, "TeamId" = $team WHERE "Id" = $id""");
            foreach (var (leadId, ownerId, teamId) in writes.Owners)
            {
                update.Execute(ownerId, teamId, leadId);
            }
        }
        if (writes.Tasks.Count > 0)
        {
            using var insert = new SqliteStatement(_connection, """
                INSERT INTO "FollowUpTasks" ("LeadId", "AssigneeId", "RuleName", "RotationTeamId", "CreatedAt", "DueAt", "ReclaimAt", "DueAfterMinutes", "GraceMinutes", "MaxReclaims", "Reclaims", "TriggeredAt", "Status")
                VALUES ($lead, $assignee, $rule, $team, $created, $due, $reclaim, $dueAfter, $grace, $max, $reclaims, $triggered, $status)
                """);
            foreach (var t in writes.Tasks)
            {
                insert.Execute(t.LeadId, t.AssigneeId, t.RuleName, t.RotationTeamId, t.CreatedAt, t.DueAt, t.ReclaimAt, t.DueAfterMinutes, t.GraceMinutes, t.MaxReclaims, t.Reclaims, t.TriggeredAt, t.Status.ToString());
                t.Id = insert.LastInsertRowId;
            }
        }
        if (writes.Activities.Count > 0)
        {
            using var insert = new SqliteStatement(_connection, """
                INSERT INTO "LeadActivities" ("LeadId", "Kind", "At", "UserId", "TaskId", "RuleName", "Reason", "ReasonSaid") VALUES ($lead, $kind, $at, $user, $task, $rule, $reason, $said)
                """);
            foreach (var (a, task) in writes.Activities)
            {
                insert.Execute(a.LeadId, a.Kind.ToString(), a.At, a.UserId, task?.Id ?? a.TaskId, a.RuleName, a.Reason, a.ReasonSaid);
            }
        }
        if (writes.Notifications.Count > 0)
        {
            using var insert = new SqliteStatement(_connection, """
                INSERT INTO "UserNotifications" ("UserId", "Kind", "LeadId", "Text", "TextSaid", "CreatedAt") VALUES ($user, $kind, $lead, $text, $said, $at)
                """);
            foreach (var n in writes.Notifications)
            {
                insert.Execute(n.UserId, n.Kind.ToString(), n.LeadId, n.Text, n.TextSaid, n.CreatedAt);
            }
        }
        if (writes.Firings.Count > 0)
        {
            using var upsert = new SqliteStatement(_connection, """
                INSERT INTO "RoutingFirings" ("LeadId", "RuleName", "FiredAt") VALUES ($lead, $rule, $at)
                ON CONFLICT ("LeadId", "RuleName") DO UPDATE SET "FiredAt" = excluded."FiredAt"
                """);
            foreach (var f in writes.Firings)
            {
                upsert.Execute(f.LeadId, f.RuleName, f.FiredAt);
            }
        }
    }
}
