using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>The outbox's statements for SQLite, on one unit of work's connection and transaction.</summary>
internal sealed class SqliteWebhookStore : IWebhookStore
{
    public IWebhookStatements On(BehaviorPointsDbContext db) => new SqliteWebhookStatements(db);
}

/// <summary>The outbox's and the delivery log's inserts for SQLite: one prepared statement, executed per row.</summary>
internal sealed class SqliteWebhookStatements(BehaviorPointsDbContext db) : IWebhookStatements
{
    private readonly SqliteConnection _connection = (SqliteConnection)db.Database.GetDbConnection();

    public void WriteMessages(IReadOnlyList<WebhookMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }
        using var insert = new SqliteStatement(_connection, """
            INSERT INTO "WebhookMessages" ("EndpointId", "MessageId", "EventType", "LeadId", "Payload", "CreatedAt", "Status", "NextAttemptAt", "Attempts")
            VALUES ($endpoint, $message, $type, $lead, $payload, $created, $status, $next, 0)
            """);
        foreach (var m in messages)
        {
            insert.Execute(m.EndpointId, m.MessageId, m.EventType, m.LeadId, m.Payload, m.CreatedAt, m.Status.ToString(), m.NextAttemptAt);
            m.Id = insert.LastInsertRowId;
        }
    }

    public void WriteAttempts(IReadOnlyList<WebhookAttempt> attempts)
    {
        if (attempts.Count == 0)
        {
            return;
        }
        using var insert = new SqliteStatement(_connection, """
            INSERT INTO "WebhookAttempts" ("EndpointId", "MessageId", "At", "StatusCode", "LatencyMs", "Response", "Succeeded")
            VALUES ($endpoint, $message, $at, $status, $latency, $response, $succeeded)
            """);
        foreach (var a in attempts)
        {
            insert.Execute(a.EndpointId, a.MessageId, a.At, a.StatusCode, a.LatencyMs, a.Response, a.Succeeded ? 1 : 0);
        }
    }
}
