using Npgsql;
using NpgsqlTypes;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>What every hand-written PostgreSQL statement needs: a command with its parameters, and UTC times.</summary>
internal static class PostgreSqlCommands
{
    /// <summary>Runs one statement at once on <paramref name="connection"/> (in its current transaction).</summary>
    public static void Execute(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(Parameters(parameters).ToArray());
        return command;
    }

    public static IEnumerable<NpgsqlParameter> Parameters((string Name, object Value)[] parameters) => parameters.Select(p => p.Value switch
    {
        // Arrays of text may hold nulls; Npgsql infers the other element types.
        string?[] texts => new NpgsqlParameter(p.Name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = texts },
        _ => new NpgsqlParameter(p.Name, p.Value),
    });

    // timestamptz takes UTC only: the ledger's times are UTC, but a value read back from elsewhere may say Unspecified.
    public static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
