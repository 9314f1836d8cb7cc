using System.Text;
using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>The ledger's statements for SQLite, on one unit of work's connection and transaction.</summary>
internal sealed class SqliteLedgerStore : ILedgerStore
{
    public ILedgerStatements On(BehaviorPointsDbContext db) => new SqliteLedgerStatements(db);
}

/// <summary>
/// The ledger's hand-written SQL for SQLite, every column list written once. Reads look their keys up by index with
/// one statement per kind of key (each list of keys as one JSON array that SQLite walks); writes go through prepared
/// statements on SQLite's own API, since EF's change tracker is the bottleneck at thousands of rows per request.
/// </summary>
internal sealed class SqliteLedgerStatements(BehaviorPointsDbContext db) : ILedgerStatements
{
    private readonly SqliteConnection _connection = (SqliteConnection)db.Database.GetDbConnection();

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
                SELECT "Id", "TeamId", "Email", "Phone", "ExternalId", "BehaviorPoints", "IntentLevel", "LastActivityAt", "Stage", "StageScore", "StageVisit"
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
                        lookup.Utc(7),
                        lookup.Text(8)!,
                        lookup.Int64(9),
                        (int)lookup.Int64(10));
                }
            }
        }
        Add("Id", ids);
        Add("Email", emails);
        Add("Phone", phones);
        Add("ExternalId", externalIds);
        return [.. leads.Values.OrderBy(l => l.Id)];
    }

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

    public Dictionary<long, Dictionary<string, long>> CategoryScores(IEnumerable<long> leadIds)
    {
        var scores = new Dictionary<long, Dictionary<string, long>>();
        using var lookup = Query("""SELECT "LeadId", "Category", "Points" FROM "LeadCategoryScores" WHERE "LeadId" IN (SELECT "value" FROM json_each($keys))""", leadIds);
        while (lookup.Read())
        {
            var leadId = lookup.Int64(0);
            (scores.TryGetValue(leadId, out var lead) ? lead : scores[leadId] = [])[lookup.Text(1)!] = lookup.Int64(2);
        }
        return scores;
    }

    // Behaviors get their ids first so entries can point at them.
    public void Write(LedgerWrites writes)
    {
        var sqlite = _connection;

        using (var insert = new SqliteStatement(sqlite, """
            INSERT INTO "Behaviors" ("EventId", "Type", "OccurredAt", "ReceivedAt", "LeadId", "ContactEmail", "ContactPhone", "ContactExternalId", "VisitorId", "AttributesJson", "Outcome")
            VALUES ($eventId, $type, $occurredAt, $receivedAt, $leadId, $email, $phone, $externalId, $visitorId, $attributes, $outcome)
            """))
        {
            foreach (var b in writes.Behaviors)
            {
                insert.Execute(b.EventId, b.Type, b.OccurredAt, b.ReceivedAt, b.LeadId, b.ContactEmail, b.ContactPhone, b.ContactExternalId, b.VisitorId, b.AttributesJson, b.Outcome.ToString());
                b.Id = insert.LastInsertRowId;
            }
        }

        using (var insert = new SqliteStatement(sqlite, """
            INSERT INTO "ScoreEntries" ("LeadId", "Kind", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", "Reason", "CreatedBy", "DecaysEntryId", "DecayStep", "Category", "StageVisit")
            VALUES ($leadId, $kind, $points, $rule, $version, $behaviorId, $eventId, $type, $occurredAt, $scoredAt, $reason, $createdBy, $decays, $step, $category, $visit)
            """))
        {
            // A decay entry comes after the entry it fades, whose id is known by then.
            foreach (var e in writes.Entries)
            {
                insert.Execute(e.LeadId, e.Kind.ToString(), e.Points, e.RuleName, e.RuleSetVersion, e.Behavior?.Id ?? e.BehaviorId, e.EventId, e.BehaviorType, e.OccurredAt, e.ScoredAt, e.Reason, e.CreatedBy, e.Decays?.Id ?? e.DecaysEntryId, e.DecayStep, e.Category, e.StageVisit);
                e.Id = insert.LastInsertRowId;
            }
        }

        if (writes.PendingDecays.Count > 0)
        {
            using var insert = new SqliteStatement(sqlite, """
                INSERT INTO "PendingDecays" ("EntryId", "Step", "LeadId", "DueAt", "Points", "Kept") VALUES ($entry, $step, $lead, $due, $points, $kept)
                """);
            foreach (var p in writes.PendingDecays)
            {
                insert.Execute(p.Entry?.Id ?? p.EntryId, p.Step, p.LeadId, p.DueAt, p.Points, p.Kept);
            }
        }

        using (var upsert = new SqliteStatement(sqlite, """
            INSERT INTO "LimitCounters" ("LeadId", "RuleName", "Period", "Count") VALUES ($leadId, $rule, $period, $count)
            ON CONFLICT ("LeadId", "RuleName", "Period") DO UPDATE SET "Count" = excluded."Count"
            """))
        {
            foreach (var c in writes.Counters)
            {
                upsert.Execute(c.LeadId, c.RuleName, c.Period, c.Count);
            }
        }

        UpdateLeads(writes);

        WriteSums(writes);

        if (writes.StageChanges.Count > 0)
        {
            using var insert = new SqliteStatement(sqlite, """
                INSERT INTO "StageChanges" ("LeadId", "TeamId", "From", "To", "Visit", "PointsEarned", "Reason", "Threshold", "ChangedBy", "ChangedAt")
                VALUES ($leadId, $teamId, $from, $to, $visit, $points, $reason, $threshold, $by, $at)
                """);
            foreach (var c in writes.StageChanges)
            {
                insert.Execute(c.LeadId, c.TeamId, c.From, c.To, c.Visit, c.PointsEarned, c.Reason.ToString(), c.Threshold, c.ChangedBy, c.ChangedAt);
            }
        }

        using (var insert = new SqliteStatement(sqlite, """
            INSERT INTO "IntentLevelChanges" ("LeadId", "TeamId", "From", "To", "ChangedAt") VALUES ($leadId, $teamId, $from, $to, $at)
            """))
        {
            foreach (var change in writes.LevelChanges)
            {
                insert.Execute(change.LeadId, change.TeamId, change.From, change.To, change.ChangedAt);
            }
        }
    }

    // Sets only the columns that changed: SQLite rewrites every index on a column named in SET, changed or not, and the
    // intent level alone sits in three of the lead list's and dashboard's indexes.
    private void UpdateLeads(LedgerWrites writes)
    {
        var updates = new Dictionary<(bool Points, bool Level, bool Activity, bool StageScore, bool StageMoved), SqliteStatement>();
        var values = new object?[8];
        try
        {
            foreach (var (lead, stored) in writes.Leads)
            {
                var changed = (
                    Points: lead.BehaviorPoints != stored.Points,
                    Level: lead.IntentLevel != stored.Level,
                    Activity: lead.LastActivityAt != stored.LastActivityAt,
                    StageScore: lead.StageScore != stored.StageScore,
                    StageMoved: stored.StageMoved(lead));
                var count = 0;
                if (changed.Points) values[count++] = lead.BehaviorPoints;
                if (changed.Level) values[count++] = lead.IntentLevel;
                if (changed.Activity) values[count++] = lead.LastActivityAt;
                if (changed.StageScore) values[count++] = lead.StageScore;
                if (changed.StageMoved)
                {
                    values[count++] = lead.Stage;
                    values[count++] = lead.StageVisit;
                    values[count++] = lead.StageEnteredAt;
                }
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
                        changed.StageScore ? "\"StageScore\" = $stageScore" : null,
                        changed.StageMoved ? "\"Stage\" = $stage, \"StageVisit\" = $visit, \"StageEnteredAt\" = $entered" : null,
                    };
                    update = new SqliteStatement(_connection, $"""UPDATE "Leads" SET {string.Join(", ", set.OfType<string>())} WHERE "Id" = $id""");
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

    public void WriteSums(LedgerWrites writes)
    {
        if (writes.CategoryPoints.Count > 0)
        {
            // One statement for the transaction's rows, in key order (neighbouring rows of the table's key written
            // together): the table and its index are opened once, not once per row.
            var rows = writes.CategoryPoints.OrderBy(p => p.Key.LeadId).ThenBy(p => p.Key.Category, StringComparer.Ordinal)
                .Select(p => new object[] { p.Key.LeadId, p.Key.Category, p.Value });
            using var categories = new SqliteStatement(_connection, """
                INSERT INTO "LeadCategoryScores" ("LeadId", "Category", "Points")
                SELECT "value" ->> 0, "value" ->> 1, "value" ->> 2 FROM json_each($rows) WHERE true
                ON CONFLICT ("LeadId", "Category") DO UPDATE SET "Points" = "Points" + excluded."Points"
                """);
            categories.Execute(JsonSerializer.Serialize(rows));
        }

        using var upsert = new SqliteStatement(_connection, """
            INSERT INTO "DailyPoints" ("Day", "TeamId", "BehaviorType", "RuleName", "Points", "Entries")
            VALUES ($day, $team, $type, $rule, $points, $entries)
            ON CONFLICT ("Day", "TeamId", "BehaviorType", "RuleName")
            DO UPDATE SET "Points" = "Points" + excluded."Points", "Entries" = "Entries" + excluded."Entries"
            """);
        foreach (var ((day, team, type, rule), (points, entries)) in writes.Daily)
        {
            upsert.Execute(day, team, type, rule, points, entries);
        }
    }

    public Task SupersedeRuleEntriesAsync(long firstLeadId, long lastLeadId, DateTime now, int version, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "SupersededScoreEntries" ("EntryId", "Kind", "DecaysEntryId", "Category", "LeadId", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", "SupersededAt", "SupersededByVersion")
            SELECT "Id", "Kind", "DecaysEntryId", "Category", "LeadId", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", {2}, {3}
            FROM "ScoreEntries" WHERE "Kind" IN ('Rule', 'Decay') AND "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "ScoreEntries" WHERE "Kind" IN ('Rule', 'Decay') AND "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "LimitCounters" WHERE "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "PendingDecays" WHERE "LeadId" BETWEEN {0} AND {1};
            """, [firstLeadId, lastLeadId, now, version], cancellationToken);

    public List<PendingDecay> DueDecays(DateTime now, int limit)
    {
        var due = new List<PendingDecay>();
        using var lookup = new SqliteStatement(_connection, """
            SELECT p."EntryId", p."Step", p."LeadId", p."DueAt", p."Points", p."Kept", e."RuleName", e."RuleSetVersion", e."BehaviorId", e."EventId", e."BehaviorType", e."OccurredAt", e."Category"
            FROM "PendingDecays" p JOIN "ScoreEntries" e ON e."Id" = p."EntryId"
            WHERE p."DueAt" <= $now ORDER BY p."DueAt", p."EntryId", p."Step" LIMIT $limit
            """);
        lookup.Bind(now, limit);
        while (lookup.Read())
        {
            var entryId = lookup.Int64(0);
            due.Add(new PendingDecay
            {
                EntryId = entryId,
                Step = (int)lookup.Int64(1),
                LeadId = lookup.Int64(2),
                DueAt = lookup.Utc(3)!.Value,
                Points = (int)lookup.Int64(4),
                Kept = (int)lookup.Int64(5),
                Entry = new ScoreEntry
                {
                    Id = entryId,
                    LeadId = lookup.Int64(2),
                    Kind = ScoreEntryKind.Rule,
                    RuleName = lookup.Text(6)!,
                    RuleSetVersion = lookup.IsNull(7) ? null : (int)lookup.Int64(7),
                    BehaviorId = lookup.IsNull(8) ? null : lookup.Int64(8),
                    EventId = lookup.Text(9),
                    BehaviorType = lookup.Text(10),
                    OccurredAt = lookup.Utc(11)!.Value,
                    Category = lookup.Text(12),
                },
            });
        }
        return due;
    }

    public int DeletePending(IReadOnlyList<PendingDecay> steps)
    {
        using var delete = new SqliteStatement(_connection, """DELETE FROM "PendingDecays" WHERE "EntryId" = $entry AND "Step" = $step""");
        var deleted = 0;
        foreach (var step in steps)
        {
            delete.Execute(step.EntryId, step.Step);
            deleted += delete.Changes;
        }
        return deleted;
    }

    public Task RefreshOutcomesAsync(long firstLeadId, long lastLeadId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""
            UPDATE "Behaviors" SET "Outcome" = CASE WHEN EXISTS (SELECT 1 FROM "ScoreEntries" e WHERE e."BehaviorId" = "Behaviors"."Id") THEN 'Scored' ELSE 'NoMatch' END
            WHERE "LeadId" BETWEEN {0} AND {1};
            """, [firstLeadId, lastLeadId], cancellationToken);

    public async Task RebandAsync(IntentBands? bands, DateTime now, CancellationToken cancellationToken)
    {
        var parameters = new List<SqliteParameter> { new("@now", now) };
        var level = new StringBuilder();
        if (bands is null)
        {
            level.Append("NULL");
        }
        else
        {
            level.Append("CASE");
            for (var i = 0; i < bands.Options.Count - 1; i++)
            {
                level.Append($" WHEN \"BehaviorPoints\" <= @max{i} THEN @label{i}");
                parameters.Add(new($"@max{i}", bands.Options[i].Max!.Value));
                parameters.Add(new($"@label{i}", bands.Options[i].Label));
            }
            var last = bands.Options.Count - 1;
            level.Append($" ELSE @label{last} END");
            parameters.Add(new($"@label{last}", bands.Options[last].Label));
        }

        // The SQL holds only fixed text and parameter names; every value is a parameter.
        var sql = $"""
            INSERT INTO "IntentLevelChanges" ("LeadId", "TeamId", "From", "To", "ChangedAt")
            SELECT "Id", "TeamId", "IntentLevel", {level}, @now FROM "Leads" WHERE "IntentLevel" IS NOT {level};
            UPDATE "Leads" SET "IntentLevel" = {level} WHERE "IntentLevel" IS NOT {level};
            """;
        await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }

    // One statement per kind of key: each list of keys goes in as one JSON array that SQLite walks with an index look-up each.
    private SqliteStatement Query(string sql, params object[] keyLists)
    {
        var statement = new SqliteStatement(_connection, sql);
        statement.Bind([.. keyLists.Select(keys => (object?)JsonSerializer.Serialize(keys))]);
        return statement;
    }
}
