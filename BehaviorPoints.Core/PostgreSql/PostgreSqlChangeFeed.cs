using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>
/// Score changes between app instances (and, in <c>UserChanges</c>, users whose notifications or tasks changed). A change
/// is a row of <c>LeadChanges</c> written in the transaction that made it,
/// with a <c>NOTIFY</c> that PostgreSQL delivers when that transaction commits (never for a rollback). Each instance
/// listens on a connection of its own and, woken or not, reads the rows after the last one it saw, so a notification
/// lost to a dropped connection is caught up after the reconnect. Write transactions run one at a time under the write
/// lock, so rows become visible in id order and "after the last one seen" misses none.
/// </summary>
public sealed class PostgreSqlChangeFeed(string connectionString, AppInstance instance) : ILeadChangeFeed
{
    public const string Channel = "bp_lead_changes";

    /// <summary>How long change rows are kept for instances catching up.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan s_reconnectPause = TimeSpan.FromSeconds(1);

    public async Task RecordAsync(BehaviorPointsDbContext db, IReadOnlyList<LeadScoreChanged> changes, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO "LeadChanges" ("Instance", "LeadId", "Total", "IntentLevel", "NewestEntryId")
            SELECT @instance, * FROM unnest(@leadId, @total, @level, @newest);
            SELECT pg_notify('{Channel}', '');
            """, connection);
        command.Parameters.AddWithValue("instance", instance.Id);
        command.Parameters.AddWithValue("leadId", changes.Select(c => c.LeadId).ToArray());
        command.Parameters.AddWithValue("total", changes.Select(c => c.Total).ToArray());
        command.Parameters.Add(new NpgsqlParameter("level", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = changes.Select(c => c.IntentLevel).ToArray() });
        command.Parameters.AddWithValue("newest", changes.Select(c => c.NewestEntryId).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordUsersAsync(BehaviorPointsDbContext db, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO "UserChanges" ("Instance", "UserId") SELECT @instance, unnest(@users);
            SELECT pg_notify('{Channel}', '');
            """, connection);
        command.Parameters.AddWithValue("instance", instance.Id);
        command.Parameters.AddWithValue("users", userIds.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Hands the other instances' changes to <paramref name="notifications"/> (scores) and <paramref name="signals"/>
    /// (users' notifications and tasks) until cancelled, reconnecting and catching up after any failure of the listening
    /// connection.
    /// </summary>
    public async Task ListenAsync(ScoreNotifications notifications, UserSignals signals, CancellationToken cancellationToken)
    {
        long? lastSeen = null;
        long? lastSeenUser = null;
        var lastPruned = DateTime.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }
                // The first connection starts from now; a reconnect continues after the last change it saw.
                lastSeen ??= await LastIdAsync(connection, "LeadChanges", cancellationToken);
                lastSeenUser ??= await LastIdAsync(connection, "UserChanges", cancellationToken);
                while (!cancellationToken.IsCancellationRequested)
                {
                    lastSeen = await CatchUpAsync(connection, lastSeen.Value, notifications, cancellationToken);
                    lastSeenUser = await CatchUpUsersAsync(connection, lastSeenUser.Value, signals, cancellationToken);
                    if (DateTime.UtcNow - lastPruned > Retention / 2)
                    {
                        await PruneAsync(connection, cancellationToken);
                        lastPruned = DateTime.UtcNow;
                    }
                    // Woken by a NOTIFY, or after a while anyway.
                    await connection.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(s_reconnectPause, cancellationToken);
            }
        }
    }

    // The table name is one of the two constants above, never input.
    private static async Task<long> LastIdAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""SELECT COALESCE(MAX("Id"), 0) FROM "{table}" """, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<long> CatchUpUsersAsync(NpgsqlConnection connection, long lastSeen, UserSignals signals, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT "Id", "Instance", "UserId" FROM "UserChanges" WHERE "Id" > @last ORDER BY "Id" LIMIT 10000
            """, connection);
        command.Parameters.AddWithValue("last", lastSeen);
        var users = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lastSeen = reader.GetInt64(0);
                if (reader.GetString(1) != instance.Id)
                {
                    users.Add(reader.GetString(2));
                }
            }
        }
        if (users.Count > 0)
        {
            signals.Publish(users);
        }
        return lastSeen;
    }

    private async Task<long> CatchUpAsync(NpgsqlConnection connection, long lastSeen, ScoreNotifications notifications, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT "Id", "Instance", "LeadId", "Total", "IntentLevel", "NewestEntryId" FROM "LeadChanges"
            WHERE "Id" > @last ORDER BY "Id" LIMIT 10000
            """, connection);
        command.Parameters.AddWithValue("last", lastSeen);
        var changes = new List<LeadScoreChanged>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lastSeen = reader.GetInt64(0);
                // This instance told its own pages when it committed.
                if (reader.GetString(1) != instance.Id)
                {
                    changes.Add(new LeadScoreChanged(reader.GetInt64(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
                }
            }
        }
        if (changes.Count > 0)
        {
            notifications.Publish(changes);
        }
        return lastSeen;
    }

    private static async Task PruneAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM "LeadChanges" WHERE "At" < now() - @keep;
            DELETE FROM "UserChanges" WHERE "At" < now() - @keep;
            """, connection);
        command.Parameters.AddWithValue("keep", Retention);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
