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
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _commandTexts = new();
    private int _commits;

    private DatabaseActivity(string databasePath) => _databasePath = databasePath;

    /// <summary>Transactions committed so far.</summary>
    public int Commits => Volatile.Read(ref _commits);

    /// <summary>Commands (queries and statements) run through EF so far.</summary>
    public int Commands => _commandTexts.Count;

    /// <summary>How many of the commands so far contain <paramref name="text"/> (to count one kind of query).</summary>
    public int CommandsContaining(string text) => _commandTexts.Count(c => c.Contains(text, StringComparison.Ordinal));

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
            _commandTexts.Enqueue(command.Command.CommandText);
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
