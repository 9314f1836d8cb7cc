using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

public sealed record NotificationView(long Id, NotificationKind Kind, long? LeadId, string Text, DateTime CreatedAt, bool Read)
{
    /// <summary>The text to be said in the reader's language; null on rows written before it was kept.</summary>
    public Said? TextSaid { get; init; }
}

/// <summary>A user's in-app notifications: the bell's unread count, the newest ones, marking them read.</summary>
public sealed class NotificationCenter(IDbContextFactory<BehaviorPointsDbContext> dbFactory, UnitOfWork unitOfWork, UserSignals signals, TimeProvider clock)
{
    public async Task<int> UnreadCountAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UserNotifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
    }

    public async Task<IReadOnlyList<NotificationView>> RecentAsync(string userId, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UserNotifications.AsNoTracking().Where(n => n.UserId == userId)
            .OrderByDescending(n => n.Id).Take(limit)
            .Select(n => new NotificationView(n.Id, n.Kind, n.LeadId, n.Text, n.CreatedAt, n.ReadAt != null) { TextSaid = Said.FromJson(n.TextSaid) })
            .ToListAsync(cancellationToken);
    }

    /// <summary>Marks one of the user's notifications read (null: all of them).</summary>
    public async Task MarkReadAsync(string userId, long? id = null, CancellationToken cancellationToken = default)
    {
        await unitOfWork.WriteAsync(async scope =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var unread = scope.Db.UserNotifications.Where(n => n.UserId == userId && n.ReadAt == null);
            if (id is { } one)
            {
                unread = unread.Where(n => n.Id == one);
            }
            if (await unread.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken) > 0)
            {
                await signals.AnnounceAsync(scope, [userId], cancellationToken);
            }
        }, cancellationToken);
    }
}
