using System.Text;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>The ledger's statements for PostgreSQL, on one unit of work's connection and transaction.</summary>
internal sealed class PostgreSqlLedgerStore : ILedgerStore
{
    public ILedgerStatements On(BehaviorPointsDbContext db) => new PostgreSqlLedgerStatements(db);
}

/// <summary>
/// The ledger's hand-written SQL for PostgreSQL, every column list written once. Reads look a batch's keys up with one
/// statement per kind of key (<c>= ANY(array)</c>); writes send each table's rows as arrays unnested by one INSERT, so
/// a batch of a thousand events is a handful of round trips. Ids of new behaviors and entries are taken from their
/// sequences first, so entries can point at behaviors and notifications can name the newest entry.
/// </summary>
internal sealed class PostgreSqlLedgerStatements(BehaviorPointsDbContext db) : ILedgerStatements
{
    private readonly NpgsqlConnection _connection = (NpgsqlConnection)db.Database.GetDbConnection();
    private NpgsqlBatch? _batch;

    public Dictionary<string, long?> StoredEvents(IEnumerable<string> eventIds)
    {
        var stored = new Dictionary<string, long?>();
        using var command = Command("""SELECT "EventId", "LeadId" FROM "Behaviors" WHERE "EventId" = ANY(@keys)""", ("keys", eventIds.ToArray()));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            stored[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        }
        return stored;
    }

    public List<LedgerLead> Leads(IEnumerable<long> ids, IEnumerable<string> emails, IEnumerable<string> phones, IEnumerable<string> externalIds)
    {
        var leads = new Dictionary<long, LedgerLead>();
        void Add(string column, Array keys)
        {
            if (keys.Length == 0)
            {
                return;
            }
            using var command = Command($"""
                SELECT "Id", "TeamId", "Email", "Phone", "ExternalId", "BehaviorPoints", "IntentLevel", "LastActivityAt", "Stage", "StageScore", "StageVisit"
                FROM "Leads" WHERE "{column}" = ANY(@keys)
                """, ("keys", keys));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                leads.TryAdd(id, new LedgerLead(
                    id,
                    reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)),
                    reader.GetString(8),
                    reader.GetInt64(9),
                    reader.GetInt32(10)));
            }
        }
        Add("Id", ids.ToArray());
        Add("Email", emails.ToArray());
        Add("Phone", phones.ToArray());
        Add("ExternalId", externalIds.ToArray());
        return [.. leads.Values.OrderBy(l => l.Id)];
    }

    public IEnumerable<LimitCounter> Counters(IEnumerable<long> leadIds, IReadOnlySet<string> limitedRules, IEnumerable<string> periodKeys)
    {
        var counters = new List<LimitCounter>();
        using var command = Command("""
            SELECT "LeadId", "RuleName", "Period", "Count" FROM "LimitCounters"
            WHERE "LeadId" = ANY(@leads) AND "Period" = ANY(@periods)
            """, ("leads", leadIds.ToArray()), ("periods", periodKeys.ToArray()));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var rule = reader.GetString(1);
            if (limitedRules.Contains(rule))
            {
                counters.Add(new LimitCounter { LeadId = reader.GetInt64(0), RuleName = rule, Period = reader.GetString(2), Count = reader.GetInt32(3) });
            }
        }
        return counters;
    }

    public Dictionary<long, Dictionary<string, long>> CategoryScores(IEnumerable<long> leadIds)
    {
        var scores = new Dictionary<long, Dictionary<string, long>>();
        using var command = Command("""SELECT "LeadId", "Category", "Points" FROM "LeadCategoryScores" WHERE "LeadId" = ANY(@leads)""", ("leads", leadIds.ToArray()));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var leadId = reader.GetInt64(0);
            (scores.TryGetValue(leadId, out var lead) ? lead : scores[leadId] = [])[reader.GetString(1)] = reader.GetInt64(2);
        }
        return scores;
    }

    public void Write(LedgerWrites writes)
    {
        // Every statement of the write goes to the server in one round trip.
        _batch = new NpgsqlBatch(_connection);
        try
        {
            Queue(writes);
            _batch.ExecuteNonQuery();
        }
        finally
        {
            _batch.Dispose();
            _batch = null;
        }
    }

    private void Queue(LedgerWrites writes)
    {
        var behaviors = writes.Behaviors;
        var entries = writes.Entries;
        var (behaviorIds, entryIds) = NextIds(behaviors.Count, entries.Count);
        if (behaviors.Count > 0)
        {
            var ids = behaviorIds;
            for (var i = 0; i < behaviors.Count; i++)
            {
                behaviors[i].Id = ids[i];
            }
            Execute("""
                INSERT INTO "Behaviors" ("Id", "EventId", "Type", "OccurredAt", "ReceivedAt", "LeadId", "ContactEmail", "ContactPhone", "ContactExternalId", "VisitorId", "AttributesJson", "Outcome")
                SELECT * FROM unnest(@id, @eventId, @type, @occurredAt, @receivedAt, @leadId, @email, @phone, @externalId, @visitorId, @attributes, @outcome)
                """,
                ("id", ids),
                ("eventId", behaviors.Select(b => b.EventId).ToArray()),
                ("type", behaviors.Select(b => b.Type).ToArray()),
                ("occurredAt", behaviors.Select(b => Utc(b.OccurredAt)).ToArray()),
                ("receivedAt", behaviors.Select(b => Utc(b.ReceivedAt)).ToArray()),
                ("leadId", behaviors.Select(b => b.LeadId).ToArray()),
                ("email", behaviors.Select(b => b.ContactEmail).ToArray()),
                ("phone", behaviors.Select(b => b.ContactPhone).ToArray()),
                ("externalId", behaviors.Select(b => b.ContactExternalId).ToArray()),
                ("visitorId", behaviors.Select(b => b.VisitorId).ToArray()),
                ("attributes", behaviors.Select(b => b.AttributesJson).ToArray()),
                ("outcome", behaviors.Select(b => b.Outcome.ToString()).ToArray()));
        }

        if (entries.Count > 0)
        {
            var ids = entryIds;
            for (var i = 0; i < entries.Count; i++)
            {
                entries[i].Id = ids[i];
            }
            Execute("""
                INSERT INTO "ScoreEntries" ("Id", "LeadId", "Kind", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", "Reason", "CreatedBy", "DecaysEntryId", "DecayStep", "Category", "StageVisit")
                SELECT * FROM unnest(@id, @leadId, @kind, @points, @rule, @version, @behaviorId, @eventId, @type, @occurredAt, @scoredAt, @reason, @createdBy, @decays, @step, @category, @visit)
                """,
                ("id", ids),
                ("leadId", entries.Select(e => e.LeadId).ToArray()),
                ("kind", entries.Select(e => e.Kind.ToString()).ToArray()),
                ("points", entries.Select(e => e.Points).ToArray()),
                ("rule", entries.Select(e => e.RuleName).ToArray()),
                ("version", entries.Select(e => e.RuleSetVersion).ToArray()),
                ("behaviorId", entries.Select(e => e.Behavior?.Id ?? e.BehaviorId).ToArray()),
                ("eventId", entries.Select(e => e.EventId).ToArray()),
                ("type", entries.Select(e => e.BehaviorType).ToArray()),
                ("occurredAt", entries.Select(e => Utc(e.OccurredAt)).ToArray()),
                ("scoredAt", entries.Select(e => Utc(e.ScoredAt)).ToArray()),
                ("reason", entries.Select(e => e.Reason).ToArray()),
                ("createdBy", entries.Select(e => e.CreatedBy).ToArray()),
                ("decays", entries.Select(e => e.Decays?.Id ?? e.DecaysEntryId).ToArray()),
                ("step", entries.Select(e => e.DecayStep).ToArray()),
                ("category", entries.Select(e => e.Category).ToArray()),
                ("visit", entries.Select(e => e.StageVisit).ToArray()));
        }

        if (writes.PendingDecays.Count > 0)
        {
            var pending = writes.PendingDecays;
            Execute("""
                INSERT INTO "PendingDecays" ("EntryId", "Step", "LeadId", "DueAt", "Points", "Kept")
                SELECT * FROM unnest(@entry, @step, @lead, @due, @points, @kept)
                """,
                ("entry", pending.Select(p => p.Entry?.Id ?? p.EntryId).ToArray()),
                ("step", pending.Select(p => p.Step).ToArray()),
                ("lead", pending.Select(p => p.LeadId).ToArray()),
                ("due", pending.Select(p => Utc(p.DueAt)).ToArray()),
                ("points", pending.Select(p => p.Points).ToArray()),
                ("kept", pending.Select(p => p.Kept).ToArray()));
        }

        if (writes.Counters.Count > 0)
        {
            var counters = writes.Counters.ToList();
            Execute("""
                INSERT INTO "LimitCounters" ("LeadId", "RuleName", "Period", "Count")
                SELECT * FROM unnest(@leadId, @rule, @period, @count)
                ON CONFLICT ("LeadId", "RuleName", "Period") DO UPDATE SET "Count" = excluded."Count"
                """,
                ("leadId", counters.Select(c => c.LeadId).ToArray()),
                ("rule", counters.Select(c => c.RuleName).ToArray()),
                ("period", counters.Select(c => c.Period).ToArray()),
                ("count", counters.Select(c => c.Count).ToArray()));
        }

        var changed = writes.Leads.Keys.Where(l => writes.Leads[l] != LedgerWrites.StoredScore.Of(l)).ToList();
        if (changed.Count > 0)
        {
            Execute("""
                UPDATE "Leads" AS l SET "BehaviorPoints" = v.points, "IntentLevel" = v.level, "LastActivityAt" = v.activity, "StageScore" = v.stage_score
                FROM unnest(@id, @points, @level, @activity, @stageScore) AS v(id, points, level, activity, stage_score)
                WHERE l."Id" = v.id
                """,
                ("id", changed.Select(l => l.Id).ToArray()),
                ("points", changed.Select(l => l.BehaviorPoints).ToArray()),
                ("level", changed.Select(l => l.IntentLevel).ToArray()),
                ("activity", changed.Select(l => l.LastActivityAt is { } at ? Utc(at) : (DateTime?)null).ToArray()),
                ("stageScore", changed.Select(l => l.StageScore).ToArray()));
        }
        // Stage moves are rare: their columns (one of them indexed) are set only for the leads that moved.
        var moved = writes.Leads.Where(l => l.Value.StageMoved(l.Key)).Select(l => l.Key).ToList();
        if (moved.Count > 0)
        {
            Execute("""
                UPDATE "Leads" AS l SET "Stage" = v.stage, "StageVisit" = v.visit, "StageEnteredAt" = v.entered
                FROM unnest(@id, @stage, @visit, @entered) AS v(id, stage, visit, entered)
                WHERE l."Id" = v.id
                """,
                ("id", moved.Select(l => l.Id).ToArray()),
                ("stage", moved.Select(l => l.Stage).ToArray()),
                ("visit", moved.Select(l => l.StageVisit).ToArray()),
                ("entered", moved.Select(l => l.StageEnteredAt is { } at ? Utc(at) : (DateTime?)null).ToArray()));
        }
        if (writes.StageChanges.Count > 0)
        {
            var changes = writes.StageChanges;
            Execute("""
                INSERT INTO "StageChanges" ("LeadId", "TeamId", "From", "To", "Visit", "PointsEarned", "Reason", "Threshold", "ChangedBy", "ChangedAt")
                SELECT * FROM unnest(@leadId, @teamId, @from, @to, @visit, @points, @reason, @threshold, @by, @at)
                """,
                ("leadId", changes.Select(c => c.LeadId).ToArray()),
                ("teamId", changes.Select(c => c.TeamId).ToArray()),
                ("from", changes.Select(c => c.From).ToArray()),
                ("to", changes.Select(c => c.To).ToArray()),
                ("visit", changes.Select(c => c.Visit).ToArray()),
                ("points", changes.Select(c => c.PointsEarned).ToArray()),
                ("reason", changes.Select(c => c.Reason.ToString()).ToArray()),
                ("threshold", changes.Select(c => c.Threshold).ToArray()),
                ("by", changes.Select(c => c.ChangedBy).ToArray()),
                ("at", changes.Select(c => Utc(c.ChangedAt)).ToArray()));
        }

        QueueDaily(writes);

        if (writes.LevelChanges.Count > 0)
        {
            var changes = writes.LevelChanges;
            Execute("""
                INSERT INTO "IntentLevelChanges" ("LeadId", "TeamId", "From", "To", "ChangedAt")
                SELECT * FROM unnest(@leadId, @teamId, @from, @to, @at)
                """,
                ("leadId", changes.Select(c => c.LeadId).ToArray()),
                ("teamId", changes.Select(c => c.TeamId).ToArray()),
                ("from", changes.Select(c => c.From).ToArray()),
                ("to", changes.Select(c => c.To).ToArray()),
                ("at", changes.Select(c => Utc(c.ChangedAt)).ToArray()));
        }
    }

    public void WriteSums(LedgerWrites writes) => QueueDaily(writes);

    // The daily roll-up and the category scores: sums that several writers add to.
    private void QueueDaily(LedgerWrites writes)
    {
        if (writes.CategoryPoints.Count > 0)
        {
            // In key order, so two writers adding to the same rows take their locks in the same order.
            var categories = writes.CategoryPoints.OrderBy(p => p.Key.LeadId).ThenBy(p => p.Key.Category, StringComparer.Ordinal).ToList();
            Execute("""
                INSERT INTO "LeadCategoryScores" ("LeadId", "Category", "Points")
                SELECT * FROM unnest(@leadId, @category, @points)
                ON CONFLICT ("LeadId", "Category") DO UPDATE SET "Points" = "LeadCategoryScores"."Points" + excluded."Points"
                """,
                ("leadId", categories.Select(c => c.Key.LeadId).ToArray()),
                ("category", categories.Select(c => c.Key.Category).ToArray()),
                ("points", categories.Select(c => c.Value).ToArray()));
        }
        if (writes.Daily.Count == 0)
        {
            return;
        }
        var daily = writes.Daily.ToList();
        Execute("""
            INSERT INTO "DailyPoints" ("Day", "TeamId", "BehaviorType", "RuleName", "Points", "Entries")
            SELECT * FROM unnest(@day, @team, @type, @rule, @points, @entries)
            ON CONFLICT ("Day", "TeamId", "BehaviorType", "RuleName")
            DO UPDATE SET "Points" = "DailyPoints"."Points" + excluded."Points", "Entries" = "DailyPoints"."Entries" + excluded."Entries"
            """,
            ("day", daily.Select(d => Utc(d.Key.Day)).ToArray()),
            ("team", daily.Select(d => d.Key.TeamId).ToArray()),
            ("type", daily.Select(d => d.Key.BehaviorType).ToArray()),
            ("rule", daily.Select(d => d.Key.RuleName).ToArray()),
            ("points", daily.Select(d => d.Value.Points).ToArray()),
            ("entries", daily.Select(d => d.Value.Entries).ToArray()));
    }

    public Task SupersedeRuleEntriesAsync(long firstLeadId, long lastLeadId, DateTime now, int version, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "SupersededScoreEntries" ("EntryId", "Kind", "DecaysEntryId", "Category", "LeadId", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", "SupersededAt", "SupersededByVersion")
            SELECT "Id", "Kind", "DecaysEntryId", "Category", "LeadId", "Points", "RuleName", "RuleSetVersion", "BehaviorId", "EventId", "BehaviorType", "OccurredAt", "ScoredAt", {2}, {3}
            FROM "ScoreEntries" WHERE "Kind" IN ('Rule', 'Decay') AND "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "ScoreEntries" WHERE "Kind" IN ('Rule', 'Decay') AND "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "LimitCounters" WHERE "LeadId" BETWEEN {0} AND {1};
            DELETE FROM "PendingDecays" WHERE "LeadId" BETWEEN {0} AND {1};
            """, [firstLeadId, lastLeadId, Utc(now), version], cancellationToken);

    public List<PendingDecay> DueDecays(DateTime now, int limit)
    {
        var due = new List<PendingDecay>();
        using var command = Command("""
            SELECT p."EntryId", p."Step", p."LeadId", p."DueAt", p."Points", p."Kept", e."RuleName", e."RuleSetVersion", e."BehaviorId", e."EventId", e."BehaviorType", e."OccurredAt", e."Category"
            FROM "PendingDecays" p JOIN "ScoreEntries" e ON e."Id" = p."EntryId"
            WHERE p."DueAt" <= @now ORDER BY p."DueAt", p."EntryId", p."Step" LIMIT @limit
            """, ("now", Utc(now)), ("limit", limit));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var entryId = reader.GetInt64(0);
            var leadId = reader.GetInt64(2);
            due.Add(new PendingDecay
            {
                EntryId = entryId,
                Step = reader.GetInt32(1),
                LeadId = leadId,
                DueAt = Utc(reader.GetDateTime(3)),
                Points = reader.GetInt32(4),
                Kept = reader.GetInt32(5),
                Entry = new ScoreEntry
                {
                    Id = entryId,
                    LeadId = leadId,
                    Kind = ScoreEntryKind.Rule,
                    RuleName = reader.GetString(6),
                    RuleSetVersion = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                    BehaviorId = reader.IsDBNull(8) ? null : reader.GetInt64(8),
                    EventId = reader.IsDBNull(9) ? null : reader.GetString(9),
                    BehaviorType = reader.IsDBNull(10) ? null : reader.GetString(10),
                    OccurredAt = Utc(reader.GetDateTime(11)),
                    Category = reader.IsDBNull(12) ? null : reader.GetString(12),
                },
            });
        }
        return due;
    }

    public int DeletePending(IReadOnlyList<PendingDecay> steps)
    {
        using var command = Command("""
            DELETE FROM "PendingDecays" p USING unnest(@entry, @step) AS v(entry, step)
            WHERE p."EntryId" = v.entry AND p."Step" = v.step
            """, ("entry", steps.Select(s => s.EntryId).ToArray()), ("step", steps.Select(s => s.Step).ToArray()));
        return command.ExecuteNonQuery();
    }

    public Task RefreshOutcomesAsync(long firstLeadId, long lastLeadId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""
            UPDATE "Behaviors" AS b SET "Outcome" = CASE WHEN EXISTS (SELECT 1 FROM "ScoreEntries" e WHERE e."BehaviorId" = b."Id") THEN 'Scored' ELSE 'NoMatch' END
            WHERE b."LeadId" BETWEEN {0} AND {1};
            """, [firstLeadId, lastLeadId], cancellationToken);

    public async Task RebandAsync(IntentBands? bands, DateTime now, CancellationToken cancellationToken)
    {
        var parameters = new List<NpgsqlParameter> { new("now", Utc(now)) };
        var level = new StringBuilder();
        if (bands is null)
        {
            level.Append("NULL::varchar");
        }
        else
        {
            level.Append("CASE");
            for (var i = 0; i < bands.Options.Count - 1; i++)
            {
                level.Append($" WHEN \"BehaviorPoints\" <= @max{i} THEN @label{i}");
                parameters.Add(new($"max{i}", bands.Options[i].Max!.Value));
                parameters.Add(new($"label{i}", bands.Options[i].Label));
            }
            var last = bands.Options.Count - 1;
            level.Append($" ELSE @label{last} END");
            parameters.Add(new($"label{last}", bands.Options[last].Label));
        }

        // The SQL holds only fixed text and parameter names; every value is a parameter.
        var sql = $"""
            INSERT INTO "IntentLevelChanges" ("LeadId", "TeamId", "From", "To", "ChangedAt")
            SELECT "Id", "TeamId", "IntentLevel", {level}, @now FROM "Leads" WHERE "IntentLevel" IS DISTINCT FROM {level};
            UPDATE "Leads" SET "IntentLevel" = {level} WHERE "IntentLevel" IS DISTINCT FROM {level};
            """;
        await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }

    // Ids for the new behaviors and entries, from their tables' identity sequences, in one round trip.
    private (long[] Behaviors, long[] Entries) NextIds(int behaviors, int entries)
    {
        if (behaviors + entries == 0)
        {
            return ([], []);
        }
        using var command = Command("""
            SELECT 0, nextval(pg_get_serial_sequence('"Behaviors"', 'Id')) FROM generate_series(1, @behaviors)
            UNION ALL
            SELECT 1, nextval(pg_get_serial_sequence('"ScoreEntries"', 'Id')) FROM generate_series(1, @entries)
            """, ("behaviors", behaviors), ("entries", entries));
        using var reader = command.ExecuteReader();
        var (behaviorIds, entryIds) = (new List<long>(behaviors), new List<long>(entries));
        while (reader.Read())
        {
            (reader.GetInt32(0) == 0 ? behaviorIds : entryIds).Add(reader.GetInt64(1));
        }
        return ([.. behaviorIds], [.. entryIds]);
    }

    // Inside Write, statements join its batch; alone (the daily roll-up of the EF paths), each runs at once.
    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        if (_batch is { } batch)
        {
            var batchCommand = new NpgsqlBatchCommand(sql);
            foreach (var parameter in Parameters(parameters))
            {
                batchCommand.Parameters.Add(parameter);
            }
            batch.BatchCommands.Add(batchCommand);
            return;
        }
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private NpgsqlCommand Command(string sql, params (string Name, object Value)[] parameters) =>
        PostgreSqlCommands.Command(_connection, sql, parameters);

    private static IEnumerable<NpgsqlParameter> Parameters((string Name, object Value)[] parameters) => PostgreSqlCommands.Parameters(parameters);

    private static DateTime Utc(DateTime value) => PostgreSqlCommands.Utc(value);
}
