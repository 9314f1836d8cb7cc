using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;

namespace BehaviorPoints.Core.Routing;

/// <summary>
/// Tells a signed-in user's open pages that something of theirs changed (a notification, a task), so the bell, the task
/// count and My tasks update without a reload. Published after the change commits; handlers run off the publishing
/// thread and marshal to their own context. With several app instances the change is recorded in its transaction for
/// the others (<see cref="ILeadChangeFeed"/>), which tell their own pages once it commits.
/// </summary>
public sealed class UserSignals(ILeadChangeFeed feed)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Func<Task>>> _byUser = [];

    public IDisposable Subscribe(string userId, Func<Task> handler)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var handlers))
            {
                _byUser[userId] = handlers = [];
            }
            handlers.Add(handler);
        }
        return new Subscription(() =>
        {
            lock (_gate)
            {
                if (_byUser.TryGetValue(userId, out var handlers) && handlers.Remove(handler) && handlers.Count == 0)
                {
                    _byUser.Remove(userId);
                }
            }
        });
    }

    /// <summary>
    /// Announces that a unit of work changes these users' notifications or tasks: recorded for the other instances in its
    /// transaction, told to this instance's pages once it commits (never for a rollback).
    /// </summary>
    public async Task AnnounceAsync(WriteScope scope, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
        {
            return;
        }
        string[] users = [.. userIds.Distinct()];
        await feed.RecordUsersAsync(scope.Db, users, cancellationToken);
        scope.AfterCommit(() => Publish(users));
    }

    /// <summary>Tells this instance's pages (after a commit here, or when another instance's change arrives).</summary>
    public void Publish(IEnumerable<string> userIds)
    {
        foreach (var userId in userIds.Distinct())
        {
            Func<Task>[] handlers;
            lock (_gate)
            {
                if (!_byUser.TryGetValue(userId, out var list))
                {
                    continue;
                }
                handlers = [.. list];
            }
            foreach (var handler in handlers)
            {
                // Fire and forget: a slow page must not hold up the writer.
                _ = Task.Run(handler);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
