using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// What an ingest transaction reads before it scores: which events are stored already, the leads the batch names and
/// their limit counts. Each is one statement on the transaction's connection that looks the keys up by index: at a
/// thousand keys per request, EF's query pipeline and materialisation of whole leads cost several times the look-ups.
/// </summary>
internal sealed class LedgerReads(DbConnection connection, DbTransaction transaction)
{
    /// <summary>The lead each already-stored event went to (null when it is waiting unlinked), by event id.</summary>
    public Dictionary<string, long?> StoredEvents(IEnumerable<string> eventIds)
    {
        var stored = new Dictionary<string, long?>();
        using var lookup = Command("""SELECT "EventId", "LeadId" FROM "Behaviors" WHERE "EventId" IN (SELECT "value" FROM json_each($keys))""", eventIds);
        using var reader = lookup.ExecuteReader();
        while (reader.Read())
        {
            stored[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        }
        return stored;
    }

    /// <summary>The leads with one of these ids, emails, phones or external ids, each once, oldest first.</summary>
    public List<LeadScore> Leads(IEnumerable<long> ids, IEnumerable<string> emails, IEnumerable<string> phones, IEnumerable<string> externalIds)
    {
        var leads = new Dictionary<long, LeadScore>();
        void Add<T>(string column, IEnumerable<T> keys)
        {
            using var lookup = Command($"""
                SELECT "Id", "TeamId", "Email", "Phone", "ExternalId", "BehaviorPoints", "IntentLevel", "LastActivityAt"
                FROM "Leads" WHERE "{column}" IN (SELECT "value" FROM json_each($keys))
                """, keys);
            using var reader = lookup.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (!leads.ContainsKey(id))
                {
                    leads[id] = new LeadScore(
                        id,
                        reader.IsDBNull(1) ? null : reader.GetInt32(1),
                        TextOrNull(reader, 2),
                        TextOrNull(reader, 3),
                        TextOrNull(reader, 4),
                        reader.GetInt64(5),
                        TextOrNull(reader, 6),
                        reader.IsDBNull(7) ? null : DateTime.SpecifyKind(reader.GetDateTime(7), DateTimeKind.Utc));
                }
            }
        }
        Add("Id", ids);
        Add("Email", emails);
        Add("Phone", phones);
        Add("ExternalId", externalIds);
        return [.. leads.Values.OrderBy(l => l.Id)];
    }

    /// <summary>The stored counts of the leads for the rules in <paramref name="limitedRules"/>.</summary>
    public IEnumerable<LimitCounter> Counters(IEnumerable<long> leadIds, IReadOnlySet<string> limitedRules)
    {
        using var lookup = Command("""
            SELECT "LeadId", "RuleName", "Period", "Count" FROM "LimitCounters" WHERE "LeadId" IN (SELECT "value" FROM json_each($keys))
            """, leadIds);
        using var reader = lookup.ExecuteReader();
        while (reader.Read())
        {
            var rule = reader.GetString(1);
            if (limitedRules.Contains(rule))
            {
                yield return new LimitCounter { LeadId = reader.GetInt64(0), RuleName = rule, Period = reader.GetString(2), Count = reader.GetInt32(3) };
            }
        }
    }

    private static string? TextOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // One statement per kind of key: the keys go in as one JSON array that SQLite walks with an index look-up each.
    private SqliteCommand Command<T>(string sql, IEnumerable<T> keys)
    {
        var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys));
        return command;
    }
}
