using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;

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
public sealed class ScoreNotifications(ILeadChangeFeed feed)
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

    /// <summary>
    /// Announces changes a unit of work makes: recorded for the other app instances in its transaction, and told to this
    /// instance's open pages once it commits (never for a rollback).
    /// </summary>
    public async Task AnnounceAsync(WriteScope scope, IReadOnlyList<LeadScoreChanged> changes, CancellationToken cancellationToken = default)
    {
        if (changes.Count == 0)
        {
            return;
        }
        await feed.RecordAsync(scope.Db, changes, cancellationToken);
        scope.AfterCommit(() => Publish(changes));
    }

    /// <summary>
    /// The changes of one or more leads, as a committed transaction leaves them: each lead's total and level, with the
    /// newest entry <paramref name="writes"/> gave it when known.
    /// </summary>
    internal static IReadOnlyList<LeadScoreChanged> ChangesOf(IEnumerable<IScoredLead> leads, LedgerWrites? writes = null)
    {
        var newest = writes?.Entries.GroupBy(e => e.LeadId).ToDictionary(g => g.Key, g => g.Max(e => e.Id));
        return leads.Select(l => new LeadScoreChanged(l.Id, l.BehaviorPoints, l.IntentLevel, newest?.GetValueOrDefault(l.Id) is > 0 and var id ? id : null)).ToList();
    }

    /// <summary>Tells this instance's open pages (after a commit here, or when another instance's change arrives).</summary>
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
