using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// The raw write ceiling of this machine: one prepared INSERT of score-entry-shaped rows, reused, 10,000 rows per
/// transaction, WAL, synchronous=NORMAL, with the same provider the app uses.
/// </summary>
internal static class SqliteCeiling
{
    public static double RowsPerSecond(string folder, int rows)
    {
        var path = Path.Combine(folder, "ceiling.db");
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        Execute(connection, """
            CREATE TABLE Entries (Id INTEGER PRIMARY KEY AUTOINCREMENT, LeadId INTEGER NOT NULL, Kind TEXT NOT NULL, Points INTEGER NOT NULL,
              RuleName TEXT NOT NULL, RuleSetVersion INTEGER, BehaviorId INTEGER, EventId TEXT, BehaviorType TEXT,
              OccurredAt TEXT NOT NULL, ScoredAt TEXT NOT NULL);
            CREATE INDEX IX_Entries_LeadId_Id ON Entries (LeadId, Id);
            """);

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO Entries (LeadId, Kind, Points, RuleName, RuleSetVersion, BehaviorId, EventId, BehaviorType, OccurredAt, ScoredAt) VALUES ($lead, 'Rule', $points, $rule, 1, $behavior, $event, 'content.view', $at, $at)";
        var lead = insert.Parameters.Add("$lead", SqliteType.Integer);
        var points = insert.Parameters.Add("$points", SqliteType.Integer);
        var rule = insert.Parameters.Add("$rule", SqliteType.Text);
        var behavior = insert.Parameters.Add("$behavior", SqliteType.Integer);
        var eventId = insert.Parameters.Add("$event", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        insert.Prepare();

        var watch = Stopwatch.StartNew();
        for (var written = 0; written < rows;)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var i = 0; i < 10_000 && written < rows; i++, written++)
            {
                lead.Value = written % 100_000;
                points.Value = 1 + written % 7;
                rule.Value = "Rule " + (written % 50);
                behavior.Value = written;
                eventId.Value = "evt-" + written;
                at.Value = "2026-11-20 08:30:00";
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return rows / watch.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
