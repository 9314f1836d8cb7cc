using System.Collections.Concurrent;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Tracking;

/// <summary>
/// When each visitor was last seen, noted in memory by the collector and written every few seconds in one transaction
/// (by <see cref="VisitorLinking"/>'s runs), so a visit costs the collector no write of its own. What it keeps is
/// informational (the visitors list's order and "last seen"); a crash loses at most the last few seconds of it, never a
/// behavior.
/// </summary>
public sealed class VisitorActivity(UnitOfWork unitOfWork)
{
    private ConcurrentDictionary<long, DateTime> _seen = new();

    /// <summary>Notes a visit, to the second (so one statement writes every visitor seen in the same second).</summary>
    public void Seen(long visitorId, DateTime at)
    {
        var second = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        _seen.AddOrUpdate(visitorId, second, (_, known) => known > second ? known : second);
    }

    /// <summary>Writes what was noted since the last time; returns how many visitors.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_seen.IsEmpty)
        {
            return 0;
        }
        var taken = Interlocked.Exchange(ref _seen, new ConcurrentDictionary<long, DateTime>());
        await unitOfWork.WriteInBackgroundAsync(async scope =>
        {
            foreach (var group in taken.GroupBy(s => s.Value, s => s.Key))
            {
                var at = group.Key;
                foreach (var ids in group.Chunk(500))
                {
                    await scope.Db.Visitors.Where(v => ids.Contains(v.Id) && v.LastSeen < at)
                        .ExecuteUpdateAsync(v => v.SetProperty(x => x.LastSeen, at), cancellationToken);
                }
            }
            return true;
        }, TimeSpan.FromMilliseconds(250), cancellationToken);
        return taken.Count;
    }
}
