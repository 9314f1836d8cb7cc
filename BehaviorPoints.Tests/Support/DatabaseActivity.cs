using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// Counts the EF Core commands run and transactions committed against one database file while it is alive (EF's
/// diagnostic events are process-wide, so other tests running at the same time are told apart by their connection string).
/// </summary>
internal sealed class DatabaseActivity : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _databasePath;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<RanCommand> _commands = new();
    private int _commits;

    private DatabaseActivity(string databasePath) => _databasePath = databasePath;

    /// <summary>Transactions committed so far.</summary>
    public int Commits => Volatile.Read(ref _commits);

    /// <summary>Commands (queries and statements) run through EF so far.</summary>
    public int Commands => _commands.Count;

    /// <summary>The commands run so far, in order, each with its parameters' values (to run again under EXPLAIN, say).</summary>
    public IReadOnlyList<RanCommand> CommandsRun => [.. _commands];

    /// <summary>How many of the commands so far contain <paramref name="text"/> (to count one kind of query).</summary>
    public int CommandsContaining(string text) => _commands.Count(c => c.Text.Contains(text, StringComparison.Ordinal));

    public static DatabaseActivity For(string databasePath)
    {
        var counter = new DatabaseActivity(databasePath);
        lock (counter._subscriptions)
        {
            counter._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(counter));
        }
        return counter;
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.TransactionCommitted.Name
            && value.Value is TransactionEndEventData transaction
            && Ours(transaction.Context))
        {
            Interlocked.Increment(ref _commits);
        }
        else if (value.Key == RelationalEventId.CommandExecuted.Name
            && value.Value is CommandExecutedEventData command
            && Ours(command.Context))
        {
            _commands.Enqueue(new RanCommand(
                command.Command.CommandText,
                [.. command.Command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, p.Value))]));
        }
    }

    private bool Ours(DbContext? context) => context?.Database.GetConnectionString()?.Contains(_databasePath, StringComparison.Ordinal) == true;

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
            _subscriptions.Clear();
        }
    }
}

/// <summary>A command EF ran: its text and its parameters' names and values.</summary>
internal sealed record RanCommand(string Text, IReadOnlyList<(string Name, object? Value)> Parameters);
