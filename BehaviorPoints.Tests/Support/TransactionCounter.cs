using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// Counts the EF Core transactions committed against one database file while it is alive (EF's diagnostic events are
/// process-wide, so other tests running at the same time are told apart by their connection string).
/// </summary>
internal sealed class TransactionCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _databasePath;
    private readonly List<IDisposable> _subscriptions = [];
    private int _commits;

    private TransactionCounter(string databasePath) => _databasePath = databasePath;

    /// <summary>Transactions committed so far.</summary>
    public int Commits => Volatile.Read(ref _commits);

    public static TransactionCounter For(string databasePath)
    {
        var counter = new TransactionCounter(databasePath);
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
            && value.Value is TransactionEndEventData data
            && data.Context?.Database.GetConnectionString()?.Contains(_databasePath, StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _commits);
        }
    }

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
