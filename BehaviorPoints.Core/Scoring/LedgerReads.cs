using System.Text.Json;
using BehaviorPoints.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// What an ingest transaction reads before it scores: which events are stored already, the leads the batch names and
/// their limit counts. Each is one statement on the transaction's connection (inside its transaction) that looks the
/// keys up by index: at a thousand keys per request, EF's query pipeline and whole-lead materialisation cost several
/// times the look-ups.
/// </summary>
internal sealed class LedgerReads(SqliteConnection connection)
{
    /// <summary>The lead each already-stored event went to (null when it is waiting unlinked), by event id.</summary>
    public Dictionary<string, long?> StoredEvents(IEnumerable<string> eventIds)
    {
        var stored = new Dictionary<string, long?>();
        using var lookup = Query("""SELECT "EventId", "LeadId" FROM "Behaviors" WHERE "EventId" IN (SELECT "value" FROM json_each($keys))""", eventIds);
        while (lookup.Read())
        {
            stored[lookup.Text(0)!] = lookup.IsNull(1) ? null : lookup.Int64(1);
        }
        return stored;
    }

    /// <summary>The leads with one of these ids, emails, phones or external ids, each once, oldest first.</summary>
    public List<LedgerLead> Leads(IEnumerable<long> ids, IEnumerable<string> emails, IEnumerable<string> phones, IEnumerable<string> externalIds)
    {
        var leads = new Dictionary<long, LedgerLead>();
        void Add<T>(string column, IEnumerable<T> keys)
        {
            var list = keys.Cast<object>().ToList();
            if (list.Count == 0)
            {
                return;
            }
            using var lookup = Query($"""
                SELECT "Id", "TeamId", "Email", "Phone", "ExternalId", "BehaviorPoints", "IntentLevel", "LastActivityAt"
                FROM "Leads" WHERE "{column}" IN (SELECT "value" FROM json_each($keys))
                """, list);
            while (lookup.Read())
            {
                var id = lookup.Int64(0);
                if (!leads.ContainsKey(id))
                {
                    leads[id] = new LedgerLead(
                        id,
                        lookup.IsNull(1) ? null : (int)lookup.Int64(1),
                        lookup.Text(2),
                        lookup.Text(3),
                        lookup.Text(4),
                        lookup.Int64(5),
                        lookup.Text(6),
                        lookup.Utc(7));
                }
            }
        }
        Add("Id", ids);
        Add("Email", emails);
        Add("Phone", phones);
        Add("ExternalId", externalIds);
        return [.. leads.Values.OrderBy(l => l.Id)];
    }

    /// <summary>
    /// The stored counts of the leads in <paramref name="periodKeys"/> (the periods the batch's behaviors fall in: a
    /// lead's counts of other days and months cannot limit them) for the rules in <paramref name="limitedRules"/>.
    /// </summary>
    public IEnumerable<LimitCounter> Counters(IEnumerable<long> leadIds, IReadOnlySet<string> limitedRules, IEnumerable<string> periodKeys)
    {
        using var lookup = Query("""
            SELECT "LeadId", "RuleName", "Period", "Count" FROM "LimitCounters"
            WHERE "LeadId" IN (SELECT "value" FROM json_each($keys)) AND "Period" IN (SELECT "value" FROM json_each($periods))
            """, leadIds, periodKeys);
        while (lookup.Read())
        {
            var rule = lookup.Text(1)!;
            if (limitedRules.Contains(rule))
            {
                yield return new LimitCounter { LeadId = lookup.Int64(0), RuleName = rule, Period = lookup.Text(2)!, Count = (int)lookup.Int64(3) };
            }
        }
    }

    // One statement per kind of key: each list of keys goes in as one JSON array that SQLite walks with an index look-up each.
    private SqliteStatement Query(string sql, params object[] keyLists)
    {
        var statement = new SqliteStatement(connection, sql);
        statement.Bind([.. keyLists.Select(keys => (object?)JsonSerializer.Serialize(keys))]);
        return statement;
    }
}
