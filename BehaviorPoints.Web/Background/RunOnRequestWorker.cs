using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Scoring;

namespace BehaviorPoints.Web.Background;

/// <summary>
/// Runs a piece of background work at start (finishing what a restart interrupted) and again whenever it is asked
/// for; a failure is logged and retried after a pause.
/// </summary>
internal abstract partial class RunOnRequestWorker(ILogger logger) : BackgroundService
{
    /// <summary>What the work is, for the log.</summary>
    protected abstract string Work { get; }

    /// <summary>Does everything there is to do; returns how many items it handled.</summary>
    protected abstract Task<int> RunAsync(CancellationToken cancellationToken);

    protected abstract Task WaitForRequestAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await RunAsync(stoppingToken);
                if (handled > 0)
                {
                    LogDone(Work, handled);
                }
                await WaitForRequestAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFailed(exception, Work);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Work}: {Count} leads done.")]
    private partial void LogDone(string work, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Work} failed; retrying in 5 seconds.")]
    private partial void LogFailed(Exception exception, string work);
}

/// <summary>Recomputes every lead's fit after a fit model publish.</summary>
internal sealed class FitRecalculationWorker(FitRecalculation recalculation, ILogger<FitRecalculationWorker> logger) : RunOnRequestWorker(logger)
{
    protected override string Work => "Fit recompute";

    protected override Task<int> RunAsync(CancellationToken cancellationToken) => recalculation.RunAsync(cancellationToken);

    protected override Task WaitForRequestAsync(CancellationToken cancellationToken) => recalculation.WaitForRequestAsync(cancellationToken);
}

/// <summary>Re-scores every lead after a publish in "re-score every lead" mode.</summary>
internal sealed class RescoreWorker(Rescoring rescoring, ILogger<RescoreWorker> logger) : RunOnRequestWorker(logger)
{
    protected override string Work => "Re-score";

    protected override Task<int> RunAsync(CancellationToken cancellationToken) => rescoring.RunAsync(cancellationToken);

    protected override Task WaitForRequestAsync(CancellationToken cancellationToken) => rescoring.WaitForRequestAsync(cancellationToken);
}
