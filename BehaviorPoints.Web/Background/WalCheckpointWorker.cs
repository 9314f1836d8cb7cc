using BehaviorPoints.Core.Sqlite;

namespace BehaviorPoints.Web.Background;

/// <summary>Runs <see cref="WalCheckpoints"/> for the life of the app (commits checkpoint by themselves while it is down).</summary>
internal sealed class WalCheckpointWorker(WalCheckpoints checkpoints, ILogger<WalCheckpointWorker> logger) : RestartingWorker(logger)
{
    protected override string Name => "Background WAL checkpoint";

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => checkpoints.RunAsync(WalCheckpoints.DefaultInterval, stoppingToken);
}
