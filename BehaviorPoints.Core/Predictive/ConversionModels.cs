using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Predictive;

/// <summary>One stored model version as the pages and the API show it.</summary>
public sealed record ConversionModelView(
    int Version,
    DateTime TrainedAt,
    string? TrainedBy,
    int TrainedWon,
    int TrainedLost,
    double Auc,
    ConversionModelStatus Status,
    DateTime? LiveSince,
    ModelMetrics Metrics,
    int Slots);

/// <summary>What a training run did: the version it stored, and whether it went live or the AUC guard kept it out.</summary>
public sealed record TrainingOutcome(ConversionModelView Model, bool WentLive, double? PreviousAuc);

/// <summary>Where a training run is, for a progress bar.</summary>
public enum TrainingStep
{
    Reading,
    Training,
    Saving,
}

public sealed record TrainingProgress(TrainingStep Step, int Done, int Total);

/// <summary>
/// The likelihood-to-convert models (SPEC §13): trains one from the closed leads and keeps it as the next version, makes
/// it live only if its AUC is at least <see cref="Guard"/> of the live one's, makes any stored version live again, and
/// hands out the live one loaded for predicting. A version going live starts the refresh of every lead's likelihood.
/// </summary>
public sealed class ConversionModels(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    TrainingData data,
    LikelihoodRefresh refresh,
    TimeProvider clock)
{
    /// <summary>A new model must reach this share of the live model's AUC to replace it.</summary>
    public const double Guard = 0.95;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _training = new(1, 1);

    /// <summary>Raised after a version goes live (trained or made live again).</summary>
    public event Action<int>? WentLive;

    /// <summary>
    /// Trains a model from every closed lead, stores it as the next version and makes it live when it passes the guard.
    /// Throws <see cref="CannotTrainException"/> when there are too few closed leads of an outcome. One training runs at
    /// a time in this app instance; a second request waits for the first.
    /// </summary>
    public async Task<TrainingOutcome> TrainAsync(string? trainedBy, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await _training.WaitAsync(cancellationToken);
        try
        {
            progress?.Report(new TrainingProgress(TrainingStep.Reading, 0, 0));
            var closed = await data.ClosedLeadsAsync(new Progress<(int Done, int Total)>(p => progress?.Report(new TrainingProgress(TrainingStep.Reading, p.Done, p.Total))), cancellationToken);
            progress?.Report(new TrainingProgress(TrainingStep.Training, closed.Count, closed.Count));
            var trained = await Task.Run(() => ConversionTrainer.Train(closed), cancellationToken);
            progress?.Report(new TrainingProgress(TrainingStep.Saving, closed.Count, closed.Count));

            var (stored, previousAuc) = await unitOfWork.WriteAsync(async scope =>
            {
                var db = scope.Db;
                var now = clock.GetUtcNow().UtcDateTime;
                var live = await db.ConversionModelVersions.Where(v => v.Status == ConversionModelStatus.Live).FirstOrDefaultAsync(cancellationToken);
                var passes = live is null || trained.Metrics.Auc >= Guard * live.Auc;
                var version = new ConversionModelVersion
                {
                    Version = (await db.ConversionModelVersions.MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0) + 1,
                    TrainedAt = now,
                    TrainedBy = trainedBy,
                    TrainedWon = trained.TrainedWon,
                    TrainedLost = trained.TrainedLost,
                    HoldoutWon = trained.Metrics.HoldoutWon,
                    HoldoutLost = trained.Metrics.HoldoutLost,
                    Auc = trained.Metrics.Auc,
                    MetricsJson = JsonSerializer.Serialize(trained.Metrics, Json),
                    SlotsJson = trained.Space.ToJson(),
                    ModelBytes = trained.Bytes,
                    Status = ConversionModelStatus.Rejected,
                };
                db.ConversionModelVersions.Add(version);
                if (passes)
                {
                    await MakeLiveAsync(scope, version, live, trainedBy, now, cancellationToken);
                }
                return (version, live?.Auc);
            }, cancellationToken);
            return new TrainingOutcome(View(stored), stored.Status == ConversionModelStatus.Live, previousAuc);
        }
        finally
        {
            _training.Release();
        }
    }

    /// <summary>Makes a stored version live again (a revert), whatever its AUC; the one live until now retires.</summary>
    public async Task<ConversionModelView> MakeLiveAsync(int version, string? by, CancellationToken cancellationToken = default)
    {
        var stored = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var chosen = await db.ConversionModelVersions.FirstOrDefaultAsync(v => v.Version == version, cancellationToken)
                ?? throw new NotFoundException($"There is no model version {version}.");
            if (chosen.Status == ConversionModelStatus.Live)
            {
                throw new ConflictException($"Model version {version} is live already.");
            }
            var live = await db.ConversionModelVersions.Where(v => v.Status == ConversionModelStatus.Live).FirstOrDefaultAsync(cancellationToken);
            await MakeLiveAsync(scope, chosen, live, by, clock.GetUtcNow().UtcDateTime, cancellationToken);
            return chosen;
        }, cancellationToken);
        return View(stored);
    }

    private async Task MakeLiveAsync(WriteScope scope, ConversionModelVersion version, ConversionModelVersion? live, string? by, DateTime now, CancellationToken cancellationToken)
    {
        if (live is not null)
        {
            live.Status = ConversionModelStatus.Retired;
        }
        version.Status = ConversionModelStatus.Live;
        version.LiveSince = now;
        await LikelihoodRefresh.StartAsync(scope.Db, version.Version, by, now, cancellationToken);
        scope.AfterCommit(() =>
        {
            refresh.Request();
            WentLive?.Invoke(version.Version);
        });
    }

    /// <summary>Every stored version, newest first.</summary>
    public async Task<IReadOnlyList<ConversionModelView>> VersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var versions = await db.ConversionModelVersions.AsNoTracking()
            .OrderByDescending(v => v.Version)
            .Select(v => new ConversionModelVersion
            {
                Version = v.Version, TrainedAt = v.TrainedAt, TrainedBy = v.TrainedBy, TrainedWon = v.TrainedWon, TrainedLost = v.TrainedLost,
                HoldoutWon = v.HoldoutWon, HoldoutLost = v.HoldoutLost, Auc = v.Auc, MetricsJson = v.MetricsJson, SlotsJson = v.SlotsJson,
                Status = v.Status, LiveSince = v.LiveSince,
            })
            .ToListAsync(cancellationToken);
        return versions.Select(View).ToList();
    }

    /// <summary>The live version, or null before any.</summary>
    public async Task<ConversionModelView?> CurrentAsync(CancellationToken cancellationToken = default) =>
        (await VersionsAsync(cancellationToken)).FirstOrDefault(v => v.Status == ConversionModelStatus.Live);

    /// <summary>The closed leads there are, and how many more of each outcome training needs (null when enough).</summary>
    public async Task<TrainingShortfall> ClosedLeadCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.Leads.AsNoTracking()
            .Where(l => (l.Status == LeadStatus.Converted || l.Status == LeadStatus.Lost) && l.ClosedAt != null)
            .GroupBy(l => l.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var won = counts.Where(c => c.Status == LeadStatus.Converted).Sum(c => c.Count);
        var lost = counts.Where(c => c.Status == LeadStatus.Lost).Sum(c => c.Count);
        return new TrainingShortfall(won, lost, Math.Max(0, ConversionTrainer.MinimumEach - won), Math.Max(0, ConversionTrainer.MinimumEach - lost));
    }

    private static ConversionModelView View(ConversionModelVersion v) => new(
        v.Version, v.TrainedAt, v.TrainedBy, v.TrainedWon, v.TrainedLost, v.Auc, v.Status, v.LiveSince,
        JsonSerializer.Deserialize<ModelMetrics>(v.MetricsJson, Json)!,
        FeatureSpace.FromJson(v.SlotsJson).Slots.Count);
}

/// <summary>The live model loaded for predicting, read from the database once per version.</summary>
public sealed class LiveConversionModel(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    private ConversionPredictor? _loaded;

    /// <summary>The live model, or null before any.</summary>
    public async Task<ConversionPredictor?> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.ConversionModelVersions.AsNoTracking()
            .Where(v => v.Status == ConversionModelStatus.Live).Select(v => (int?)v.Version).FirstOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            return null;
        }
        if (_loaded is { } loaded && loaded.Version == version)
        {
            return loaded;
        }
        var stored = await db.ConversionModelVersions.AsNoTracking()
            .Where(v => v.Version == version).Select(v => new { v.SlotsJson, v.ModelBytes }).SingleAsync(cancellationToken);
        return _loaded = ConversionPredictor.Load(version.Value, stored.SlotsJson, stored.ModelBytes);
    }
}
