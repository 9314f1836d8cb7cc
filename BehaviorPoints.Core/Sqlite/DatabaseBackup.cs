using Microsoft.Data.Sqlite;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>
/// A consistent copy of the live database through SQLite's online backup API: it copies one snapshot while the app keeps
/// reading and writing, so the copy holds whole transactions only (every total still equals the sum of its entries).
/// </summary>
public static class DatabaseBackup
{
    public static void Run(string connectionString, string destinationPath)
    {
        var destination = Path.GetFullPath(destinationPath);
        if (File.Exists(destination))
        {
            throw new ValidationFailedException("to", "{0} already exists; choose a new file so no backup is overwritten.", destination);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);

        using var source = new SqliteConnection(connectionString);
        source.Open();
        using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
        {
            target.Open();
            source.BackupDatabase(target);
            // A single file is easiest to move and restore: no WAL beside it.
            using var journal = target.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            journal.ExecuteNonQuery();
        }
    }
}
