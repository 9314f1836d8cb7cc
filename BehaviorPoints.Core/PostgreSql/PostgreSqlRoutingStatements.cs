using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>Routing's statements for PostgreSQL, on one unit of work's connection and transaction.</summary>
internal sealed class PostgreSqlRoutingStore : IRoutingStore
{
    public IRoutingStatements On(BehaviorPointsDbContext db) => new PostgreSqlRoutingStatements(db);
}

/// <summary>Routing's writes for PostgreSQL: each table's rows sent as arrays, unnested by one statement.</summary>
internal sealed class PostgreSqlRoutingStatements(BehaviorPointsDbContext db) : IRoutingStatements
{
    private readonly NpgsqlConnection _connection = (NpgsqlConnection)db.Database.GetDbConnection();

    public void Write(RoutingWrites writes)
    {
        if (writes.Owners.Count > 0)
        {
            // The last owner of a lead wins (a lead routed twice in one transaction).
            var owners = writes.Owners.GroupBy(o => o.LeadId).Select(g => g.Last()).ToList();
            Execute("""
                UPDATE "Leads" AS l SET "OwnerId" = v.owner, "TeamId" = v.team
                FROM unnest(@id, @owner, @team) AS v(id, owner, team) WHERE l."Id" = v.id
                """,
                ("id", owners.Select(o => o.LeadId).ToArray()),
                ("owner", owners.Select(o => o.OwnerId).ToArray()),
                ("team", owners.Select(o => o.TeamId).ToArray()));
        }
        if (writes.Tasks.Count > 0)
        {
            var tasks = writes.Tasks;
            long[] ids;
            using (var next = Command("""SELECT nextval(pg_get_serial_sequence('"FollowUpTasks"', 'Id')) FROM generate_series(1, @count)""", ("count", tasks.Count)))
            using (var reader = next.ExecuteReader())
            {
                var list = new List<long>(tasks.Count);
                while (reader.Read())
                {
                    list.Add(reader.GetInt64(0));
                }
                ids = [.. list];
            }
            for (var i = 0; i < tasks.Count; i++)
            {
                tasks[i].Id = ids[i];
            }
            Execute("""
                INSERT INTO "FollowUpTasks" ("Id", "LeadId", "AssigneeId", "RuleName", "RotationTeamId", "CreatedAt", "DueAt", "ReclaimAt", "DueAfterMinutes", "GraceMinutes", "MaxReclaims", "Reclaims", "TriggeredAt", "Status")
                SELECT * FROM unnest(@id, @lead, @assignee, @rule, @team, @created, @due, @reclaim, @dueAfter, @grace, @max, @reclaims, @triggered, @status)
                """,
                ("id", ids),
                ("lead", tasks.Select(t => t.LeadId).ToArray()),
                ("assignee", tasks.Select(t => (string?)t.AssigneeId).ToArray()),
                ("rule", tasks.Select(t => t.RuleName).ToArray()),
                ("team", tasks.Select(t => t.RotationTeamId).ToArray()),
                ("created", tasks.Select(t => Utc(t.CreatedAt)).ToArray()),
                ("due", tasks.Select(t => Utc(t.DueAt)).ToArray()),
                ("reclaim", tasks.Select(t => Utc(t.ReclaimAt)).ToArray()),
                ("dueAfter", tasks.Select(t => t.DueAfterMinutes).ToArray()),
                ("grace", tasks.Select(t => t.GraceMinutes).ToArray()),
                ("max", tasks.Select(t => t.MaxReclaims).ToArray()),
                ("reclaims", tasks.Select(t => t.Reclaims).ToArray()),
                ("triggered", tasks.Select(t => Utc(t.TriggeredAt)).ToArray()),
                ("status", tasks.Select(t => (string?)t.Status.ToString()).ToArray()));
        }
        if (writes.Activities.Count > 0)
        {
            var activities = writes.Activities;
            Execute("""
                INSERT INTO "LeadActivities" ("LeadId", "Kind", "At", "UserId", "TaskId", "RuleName", "Reason", "ReasonSaid")
                SELECT * FROM unnest(@lead, @kind, @at, @user, @task, @rule, @reason, @said)
                """,
                ("lead", activities.Select(a => a.Activity.LeadId).ToArray()),
                ("kind", activities.Select(a => (string?)a.Activity.Kind.ToString()).ToArray()),
                ("at", activities.Select(a => Utc(a.Activity.At)).ToArray()),
                ("user", activities.Select(a => a.Activity.UserId).ToArray()),
                ("task", activities.Select(a => a.Task?.Id ?? a.Activity.TaskId).ToArray()),
                ("rule", activities.Select(a => a.Activity.RuleName).ToArray()),
                ("reason", activities.Select(a => (string?)a.Activity.Reason).ToArray()),
                ("said", activities.Select(a => a.Activity.ReasonSaid).ToArray()));
        }
        if (writes.Notifications.Count > 0)
        {
            var notifications = writes.Notifications;
            Execute("""
                INSERT INTO "UserNotifications" ("UserId", "Kind", "LeadId", "Text", "TextSaid", "CreatedAt")
                SELECT * FROM unnest(@user, @kind, @lead, @text, @said, @at)
                """,
                ("user", notifications.Select(n => (string?)n.UserId).ToArray()),
                ("kind", notifications.Select(n => (string?)n.Kind.ToString()).ToArray()),
                ("lead", notifications.Select(n => n.LeadId).ToArray()),
                ("text", notifications.Select(n => (string?)n.Text).ToArray()),
                ("said", notifications.Select(n => n.TextSaid).ToArray()),
                ("at", notifications.Select(n => Utc(n.CreatedAt)).ToArray()));
        }
        if (writes.Firings.Count > 0)
        {
            var firings = writes.Firings;
            Execute("""
                INSERT INTO "RoutingFirings" ("LeadId", "RuleName", "FiredAt")
                SELECT * FROM unnest(@lead, @rule, @at)
                ON CONFLICT ("LeadId", "RuleName") DO UPDATE SET "FiredAt" = excluded."FiredAt"
                """,
                ("lead", firings.Select(f => f.LeadId).ToArray()),
                ("rule", firings.Select(f => (string?)f.RuleName).ToArray()),
                ("at", firings.Select(f => Utc(f.FiredAt)).ToArray()));
        }
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters) => PostgreSqlCommands.Execute(_connection, sql, parameters);

    private NpgsqlCommand Command(string sql, params (string Name, object Value)[] parameters) => PostgreSqlCommands.Command(_connection, sql, parameters);

    private static DateTime Utc(DateTime value) => PostgreSqlCommands.Utc(value);
}
