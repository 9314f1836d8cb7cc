using BehaviorPoints.Core.Fit;

namespace BehaviorPoints.Web.Background;

/// <summary>
/// Runs <see cref="FitRecalculation"/> at start (finishing a recompute a restart interrupted) and after every fit
/// model publish.
/// </summary>
internal sealed partial class FitRecalculationWorker(FitRecalculation recalculation, ILogger<FitRecalculationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var recomputed = await recalculation.RunAsync(stoppingToken);
                if (recomputed > 0)
                {
                    LogRecomputed(recomputed, recalculation.Progress?.Version);
                }
                await recalculation.WaitForRequestAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recomputed the fit of {Count} leads under fit model version {Version}.")]
    private partial void LogRecomputed(int count, int? version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fit recompute failed; retrying in 5 seconds.")]
    private partial void LogFailed(Exception exception);
}
