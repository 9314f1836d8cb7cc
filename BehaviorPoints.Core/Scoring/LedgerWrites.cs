using System.Data.Common;
using BehaviorPoints.Core.Behaviors;

using BehaviorPoints.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Everything one ledger transaction writes: new behaviors, their entries, touched limit counters, the leads' new
/// totals and level changes. Ingest flushes it through prepared SQLite statements (EF's change tracker is the
/// bottleneck at thousands of rows per request); the rarer paths hand the same rows to EF.
/// </summary>
internal sealed class LedgerWrites
{
    public List<StoredBehavior> Behaviors { get; } = [];
    public List<ScoreEntry> Entries { get; } = [];
    public HashSet<LimitCounter> Counters { get; } = [];

    /// <summary>The leads the transaction changes, each with its scoring columns as stored before it.</summary>
    public Dictionary<IScoredLead, StoredScore> Leads { get; } = [];
    public List<IntentLevelChange> LevelChanges { get; } = [];

    /// <summary>The rule entries summed per day, team, behavior type and rule, for the dashboard's roll-up.</summary>
    public Dictionary<(DateTime Day, int TeamId, string BehaviorType, string RuleName), (long Points, int Entries)> Daily { get; } = [];

    /// <summary>Marks a lead as changed by this transaction; call before changing it.</summary>
    public void Track(IScoredLead lead) => Leads.TryAdd(lead, new StoredScore(lead.BehaviorPoints, lead.IntentLevel, lead.LastActivityAt));

    internal readonly record struct StoredScore(long Points, string? Level, DateTime? LastActivityAt);

    /// <summary>Takes a replaced rule entry back out of the daily roll-up.</summary>
    public void Uncount(DateTime occurredAt, int? teamId, string? behaviorType, string ruleName, int points) =>
        CountDaily(occurredAt, teamId, behaviorType, ruleName, -points, -1);

    /// <summary>Adds one rule entry and counts it in the daily roll-up.</summary>
    public void AddEntry(ScoreEntry entry, int? teamId)
    {
        Entries.Add(entry);
        CountDaily(entry.OccurredAt, teamId, entry.BehaviorType, entry.RuleName, entry.Points, 1);
    }

    private void CountDaily(DateTime occurredAt, int? teamId, string? behaviorType, string ruleName, int points, int entries)
    {
        var key = (occurredAt.Date, teamId ?? 0, behaviorType ?? "", ruleName);
        var (sum, count) = Daily.GetValueOrDefault(key);
        Daily[key] = (sum + points, count + entries);
    }

    /// <summary>
    /// Writes every row on the transaction's connection (inside its transaction). Behaviors get their ids first so
    /// entries can point at them.
    /// </summary>
    public void Flush(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;

        using (var insert = new SqliteStatement(sqlite, """
            INSERT INTO "Behaviors" ("EventId", "Type", "OccurredAt", "ReceivedAt", "LeadId", "ContactEmail", "ContactPhone", "ContactExternalId", "AttributesJson", "Outcome")
            VALUES ($eventId, $type, $occurredAt, $receivedAt, $leadId, $email, $phone, $externalId, $attributes, $outcome)
            """))
        {
            foreach (var b in Behaviors)
            {
                insert.Execute(b.EventId, b.Type, b.OccurredAt, b.ReceivedAt, b.LeadId, b.ContactEmail, b.ContactPhone, b.ContactExternalId, b.AttributesJson, b.Outcome.ToString());
                b.Id = insert.LastInsertRowId;
            }
        }

        using (var insert = new SqliteStatement(sqlite, """
            INSERT INTO "ScoreEntries" ("LeadId", "Kind", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", "Reason", "CreatedBy")
            VALUES ($leadId, $kind, $points, $rule, $version, $behaviorId, $eventId, $type, $occurredAt, $scoredAt, $reason, $createdBy)
            """))
        {
            foreach (var e in Entries)
            {
                insert.Execute(e.LeadId, e.Kind.ToString(), e.Points, e.RuleName, e.RuleSetVersion, e.Behavior?.Id ?? e.BehaviorId, e.EventId, e.BehaviorType, e.OccurredAt, e.ScoredAt, e.Reason, e.CreatedBy);
            }
        }

        using (var upsert = new SqliteStatement(sqlite, """
            INSERT INTO "LimitCounters" ("LeadId", "RuleName", "Period", "Count") VALUES ($leadId, $rule, $period, $count)
            ON CONFLICT ("LeadId", "RuleName", "Period") DO UPDATE SET "Count" = excluded."Count"
            """))
        {
            foreach (var c in Counters)
            {
                upsert.Execute(c.LeadId, c.RuleName, c.Period, c.Count);
            }
        }

        UpdateLeads(sqlite);

        FlushDaily(sqlite);

        using (var insert = new SqliteStatement(sqlite, """
            INSERT INTO "IntentLevelChanges" ("LeadId", "TeamId", "From", "To", "ChangedAt") VALUES ($leadId, $teamId, $from, $to, $at)
            """))
        {
            foreach (var change in LevelChanges)
            {
                insert.Execute(change.LeadId, change.TeamId, change.From, change.To, change.ChangedAt);
            }
        }
    }

    // Sets only the columns that changed: SQLite rewrites every index on a column named in SET, changed or not, and the
    // intent level alone sits in three of the lead list's and dashboard's indexes.
    private void UpdateLeads(SqliteConnection connection)
    {
        var updates = new Dictionary<(bool Points, bool Level, bool Activity), SqliteStatement>();
        var values = new object?[4];
        try
        {
            foreach (var (lead, stored) in Leads)
            {
                var changed = (Points: lead.BehaviorPoints != stored.Points, Level: lead.IntentLevel != stored.Level, Activity: lead.LastActivityAt != stored.LastActivityAt);
                var count = 0;
                if (changed.Points) values[count++] = lead.BehaviorPoints;
                if (changed.Level) values[count++] = lead.IntentLevel;
                if (changed.Activity) values[count++] = lead.LastActivityAt;
                if (count == 0)
                {
                    continue;
                }
                values[count++] = lead.Id;
                if (!updates.TryGetValue(changed, out var update))
                {
                    var set = new[]
                    {
                        changed.Points ? "\"BehaviorPoints\" = $points" : null,
                        changed.Level ? "\"IntentLevel\" = $level" : null,
                        changed.Activity ? "\"LastActivityAt\" = $activity" : null,
                    };
                    update = new SqliteStatement(connection, $"""UPDATE "Leads" SET {string.Join(", ", set.OfType<string>())} WHERE "Id" = $id""");
                    updates[changed] = update;
                }
                update.Execute(values.AsSpan(0, count));
            }
        }
        finally
        {
            foreach (var update in updates.Values)
            {
                update.Dispose();
            }
        }
    }

    /// <summary>Adds the daily roll-up to the table (the EF paths write everything else through the change tracker).</summary>
    public void FlushDaily(DbConnection connection)
    {
        using var upsert = new SqliteStatement((SqliteConnection)connection, Dashboard.DailyPoints.UpsertSql);
        foreach (var ((day, team, type, rule), (points, entries)) in Daily)
        {
            upsert.Execute(day, team, type, rule, points, entries);
        }
    }
}
