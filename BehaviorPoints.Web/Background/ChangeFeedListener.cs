using BehaviorPoints.Core.PostgreSql;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.Scoring;

namespace BehaviorPoints.Web.Background;

/// <summary>On PostgreSQL, hands other app instances' score and user changes to this instance's open pages (see <see cref="PostgreSqlChangeFeed"/>).</summary>
internal sealed class ChangeFeedListener(PostgreSqlChangeFeed feed, ScoreNotifications notifications, UserSignals signals, ILogger<ChangeFeedListener> logger) : RestartingWorker(logger)
{
    protected override string Name => "Change feed";

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => feed.ListenAsync(notifications, signals, stoppingToken);
}
