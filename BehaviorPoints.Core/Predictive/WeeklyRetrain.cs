using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Predictive;

/// <summary>
/// Trains the likelihood model in the background (SPEC §13): the first time once there are enough closed leads, then
/// every <see cref="Interval"/> after the newest training. With several app instances one trains, holding a lease
/// long enough for the training to finish.
/// </summary>
public sealed class WeeklyRetrain(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    JobLeases leases,
    ConversionModels models,
    TimeProvider clock) : BackgroundJob
{
    public const string JobCode = "train";
    public static readonly TimeSpan Interval = TimeSpan.FromDays(7);
    private static readonly TimeSpan s_lease = TimeSpan.FromMinutes(30);

    public override string Name => "Weekly model training";

    public override TimeSpan PollInterval => TimeSpan.FromHours(1);

    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (!await DueAsync(cancellationToken) || (await models.ClosedLeadCountsAsync(cancellationToken)) is { MissingWon: > 0 } or { MissingLost: > 0 })
        {
            return 0;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await unitOfWork.WriteAsync(scope => leases.HoldAsync(scope.Db, JobCode, now, s_lease, cancellationToken), cancellationToken))
        {
            return 0;
        }
        try
        {
            Report(new JobProgress(0, 0, 1, now, null));
            await models.TrainAsync(trainedBy: null, cancellationToken: cancellationToken);
            Report(new JobProgress(0, 1, 1, now, clock.GetUtcNow().UtcDateTime));
            return 1;
        }
        catch (CannotTrainException)
        {
            // The held-out leads are all of one outcome: the next look tries again.
            return 0;
        }
        finally
        {
            await unitOfWork.WriteAsync(scope => leases.ReleaseAsync(scope.Db, JobCode, clock.GetUtcNow().UtcDateTime, CancellationToken.None), CancellationToken.None);
        }
    }

    private async Task<bool> DueAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var newest = await db.ConversionModelVersions.MaxAsync(v => (DateTime?)v.TrainedAt, cancellationToken);
        return newest is null || clock.GetUtcNow().UtcDateTime - newest >= Interval;
    }
}
