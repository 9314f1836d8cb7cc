using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>Opens the webhook tables' statements on a unit of work's context: one implementation per database provider.</summary>
public interface IWebhookStore
{
    IWebhookStatements On(BehaviorPointsDbContext db);
}

/// <summary>
/// The outbox's hand-written inserts, on the connection and inside the transaction of one unit of work (a busy ingest
/// writes hundreds of messages per transaction; EF's change tracker would cost more than the scoring). Each column list is
/// written once, in the provider's implementation (<c>Sqlite/SqliteWebhookStatements.cs</c>, <c>PostgreSql/PostgreSqlWebhookStatements.cs</c>).
/// </summary>
public interface IWebhookStatements
{
    /// <summary>Writes messages to the outbox (SPEC §11), in the transaction of the change they report; each gets its id.</summary>
    void WriteMessages(IReadOnlyList<WebhookMessage> messages);

    /// <summary>Writes attempts to the delivery log (a round of the delivery worker's).</summary>
    void WriteAttempts(IReadOnlyList<WebhookAttempt> attempts);
}
