namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// A lead's score changed, after the ledger committed: its new total and intent level and the newest entry the change
/// wrote (null when a change replaced entries rather than adding them, as a re-score does), so an open page can show
/// the new numbers without asking the database again.
/// </summary>
public sealed record LeadScoreChanged(long LeadId, long Total, string? IntentLevel, long? NewestEntryId = null);

/// <summary>
/// Tells open lead pages that a lead's score changed, so they update without a reload or a polling loop. The ledger
/// publishes after each commit; subscribers get called on the publishing thread and must marshal to their own context.
/// </summary>
public sealed class ScoreNotifications
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, List<Func<LeadScoreChanged, Task>>> _byLead = [];

    /// <summary>Calls <paramref name="handler"/> whenever lead <paramref name="leadId"/>'s score changes, until disposed.</summary>
    public IDisposable Subscribe(long leadId, Func<LeadScoreChanged, Task> handler)
    {
        lock (_gate)
        {
            if (!_byLead.TryGetValue(leadId, out var handlers))
            {
                handlers = [];
                _byLead[leadId] = handlers;
            }
            handlers.Add(handler);
        }
        return new Subscription(this, leadId, handler);
    }

    internal void Publish(IEnumerable<LeadScoreChanged> changes)
    {
        foreach (var change in changes)
        {
            Func<LeadScoreChanged, Task>[] handlers;
            lock (_gate)
            {
                if (!_byLead.TryGetValue(change.LeadId, out var list))
                {
                    continue;
                }
                handlers = [.. list];
            }
            foreach (var handler in handlers)
            {
                // Fire and forget: a slow or failing page must not hold up the ledger.
                _ = Task.Run(() => handler(change));
            }
        }
    }

    private void Unsubscribe(long leadId, Func<LeadScoreChanged, Task> handler)
    {
        lock (_gate)
        {
            if (_byLead.TryGetValue(leadId, out var handlers) && handlers.Remove(handler) && handlers.Count == 0)
            {
                _byLead.Remove(leadId);
            }
        }
    }

    private sealed class Subscription(ScoreNotifications owner, long leadId, Func<LeadScoreChanged, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(leadId, handler);
            }
        }
    }
}
