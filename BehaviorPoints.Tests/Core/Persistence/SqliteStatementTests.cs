using BehaviorPoints.Core.Sqlite;
using Microsoft.Data.Sqlite;

namespace BehaviorPoints.Tests.Core.Persistence;

// SQLite's own machinery: not run in the PostgreSQL pass.
[Trait("Category", "SqliteOnly")]
public sealed class SqliteStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = """CREATE TABLE "Rows" ("Id" INTEGER PRIMARY KEY, "Key" TEXT NOT NULL UNIQUE, "Number" INTEGER, "At" TEXT)""";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Binds_text_numbers_nulls_and_dates_in_parameter_order_and_reports_the_new_row_id()
    {
        using var insert = new SqliteStatement(_connection, """INSERT INTO "Rows" ("Key", "Number", "At") VALUES ($key, $number, $at)""");
        insert.Execute("a", 42L, new DateTime(2026, 11, 20, 8, 30, 15, 250, DateTimeKind.Utc));
        var first = insert.LastInsertRowId;
        insert.Execute("b", null, new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(first + 1, insert.LastInsertRowId);
        using var read = _connection.CreateCommand();
        read.CommandText = """SELECT "Key", "Number", "At" FROM "Rows" ORDER BY "Id" """;
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("a", 42L, "2026-11-20 08:30:15.25"), (reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        Assert.True(reader.Read());
        // The same text EF Core's SQLite provider writes for a DateTime (no trailing fraction when it is zero).
        Assert.Equal(("b", true, "2026-11-20 00:00:00"), (reader.GetString(0), reader.IsDBNull(1), reader.GetString(2)));
    }

    [Fact]
    public void A_failing_row_throws_SQLites_own_message_and_the_statement_stays_usable()
    {
        using var insert = new SqliteStatement(_connection, """INSERT INTO "Rows" ("Key") VALUES ($key)""");
        insert.Execute("same");

        var error = Assert.Throws<SqliteException>(() => insert.Execute("same"));

        Assert.Equal(19, error.SqliteErrorCode);
        Assert.Contains("UNIQUE constraint failed: Rows.Key", error.Message, StringComparison.Ordinal);
        insert.Execute("other");
        Assert.Equal(2, insert.LastInsertRowId);
    }

    [Fact]
    public void A_value_it_cannot_bind_is_refused_by_type()
    {
        using var insert = new SqliteStatement(_connection, """INSERT INTO "Rows" ("Key") VALUES ($key)""");

        var error = Assert.Throws<ArgumentException>(() => insert.Execute(3.5m));

        Assert.Contains("Decimal", error.Message, StringComparison.Ordinal);
    }
}
