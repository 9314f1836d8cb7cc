using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>The outbox's statements for PostgreSQL, on one unit of work's connection and transaction.</summary>
internal sealed class PostgreSqlWebhookStore : IWebhookStore
{
    public IWebhookStatements On(BehaviorPointsDbContext db) => new PostgreSqlWebhookStatements(db);
}

/// <summary>The outbox's and the delivery log's inserts for PostgreSQL: the rows sent as arrays, unnested by one statement.</summary>
internal sealed class PostgreSqlWebhookStatements(BehaviorPointsDbContext db) : IWebhookStatements
{
    private readonly NpgsqlConnection _connection = (NpgsqlConnection)db.Database.GetDbConnection();

    public void WriteMessages(IReadOnlyList<WebhookMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }
        Execute("""
            INSERT INTO "WebhookMessages" ("EndpointId", "MessageId", "EventType", "LeadId", "Payload", "CreatedAt", "Status", "NextAttemptAt", "Attempts")
            SELECT endpoint, message, type, lead, payload, created, status, next, 0 FROM unnest(@endpoint, @message, @type, @lead, @payload, @created, @status, @next)
                AS v(endpoint, message, type, lead, payload, created, status, next)
            """,
            ("endpoint", messages.Select(m => m.EndpointId).ToArray()),
            ("message", messages.Select(m => (string?)m.MessageId).ToArray()),
            ("type", messages.Select(m => (string?)m.EventType).ToArray()),
            ("lead", messages.Select(m => m.LeadId).ToArray()),
            ("payload", messages.Select(m => (string?)m.Payload).ToArray()),
            ("created", messages.Select(m => Utc(m.CreatedAt)).ToArray()),
            ("status", messages.Select(m => (string?)m.Status.ToString()).ToArray()),
            ("next", messages.Select(m => Utc(m.NextAttemptAt)).ToArray()));
    }

    public void WriteAttempts(IReadOnlyList<WebhookAttempt> attempts)
    {
        if (attempts.Count == 0)
        {
            return;
        }
        Execute("""
            INSERT INTO "WebhookAttempts" ("EndpointId", "MessageId", "At", "StatusCode", "LatencyMs", "Response", "Succeeded")
            SELECT * FROM unnest(@endpoint, @message, @at, @status, @latency, @response, @succeeded)
            """,
            ("endpoint", attempts.Select(a => a.EndpointId).ToArray()),
            ("message", attempts.Select(a => a.MessageId).ToArray()),
            ("at", attempts.Select(a => Utc(a.At)).ToArray()),
            ("status", attempts.Select(a => a.StatusCode).ToArray()),
            ("latency", attempts.Select(a => a.LatencyMs).ToArray()),
            ("response", attempts.Select(a => a.Response).ToArray()),
            ("succeeded", attempts.Select(a => a.Succeeded).ToArray()));
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters) => PostgreSqlCommands.Execute(_connection, sql, parameters);

    private static DateTime Utc(DateTime value) => PostgreSqlCommands.Utc(value);
}
