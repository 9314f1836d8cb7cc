using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Predictive;

/// <summary>
/// Keeps every open lead's likelihood to convert current (SPEC §13). After a model goes live it predicts every lead
/// again, <see cref="BatchSize"/> at a time, resuming after the last committed batch (a <see cref="LeadJobRun"/>); between
/// runs it follows the leads that changed (a new behavior, an edit, a new lead) by a stored <see cref="JobCursor"/>, every
/// <see cref="PollInterval"/>. Features are read and predictions made outside the write gate; only the writes take it,
/// as background work that lets ingest go first, one UPDATE statement per batch. A closed lead's likelihood is cleared.
/// Behavior Points are not touched. A followed lead whose likelihood moved is announced after the commit like a score
/// change, so a lead page that shows the new total shows the likelihood that follows from it too.
/// </summary>
public sealed class LikelihoodRefresh(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    WriteGate writeGate,
    JobLeases leases,
    LiveConversionModel live,
    ScoreNotifications notifications,
    TimeProvider clock) : BackgroundJob
{
    public const string JobCode = "likelihood";
    public const int BatchSize = 500;

    /// <summary>How many changed leads one follow step takes at most.</summary>
    public const int FollowSize = 2000;

    private static readonly TimeSpan s_maxYield = TimeSpan.FromMilliseconds(200);

    // Beside ingest (a foreground write within the last second) the run rests a third of the time each batch took,
    // leaving the cores to ingest.
    private static readonly TimeSpan s_ingestWindow = TimeSpan.FromSeconds(1);
    private const double RestBesideIngest = 1.0 / 3;

    public override string Name => "Likelihood refresh";

    public override TimeSpan PollInterval => TimeSpan.FromSeconds(5);

    /// <summary>In the transaction that makes <paramref name="version"/> live: a run over every lead, and changes followed from now.</summary>
    public static async Task StartAsync(BehaviorPointsDbContext db, int version, string? by, DateTime now, CancellationToken cancellationToken)
    {
        await LeadJob.StartAsync(db, JobCode, version, by, now, cancellationToken);
        var cursor = await db.JobCursors.FindAsync([JobCode], cancellationToken);
        if (cursor is null)
        {
            db.JobCursors.Add(cursor = new JobCursor { Job = JobCode });
        }
        cursor.BehaviorId = await db.Behaviors.MaxAsync(b => (long?)b.Id, cancellationToken) ?? 0;
        cursor.LeadUpdatedAt = now;
        cursor.LeadId = long.MaxValue;
    }

    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (await live.GetAsync(cancellationToken) is not { } model)
        {
            return 0;
        }
        var done = await RunEveryLeadAsync(model, cancellationToken);
        while (true)
        {
            var followed = await FollowAsync(model, cancellationToken);
            done += followed;
            if (followed < FollowSize)
            {
                return done;
            }
        }
    }

    private async Task<int> RunEveryLeadAsync(ConversionPredictor model, CancellationToken cancellationToken)
    {
        LeadJobRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            run = await db.LeadJobRuns.AsNoTracking().Where(r => r.Job == JobCode && r.FinishedAt == null).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        }
        if (run is null || run.Version != model.Version)
        {
            return 0;
        }
        var progress = new JobProgress(run.Version, run.Done, run.Total, run.StartedAt, null);
        Report(progress);
        var done = 0;
        var position = run.LastLeadId;
        while (true)
        {
            var batchStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            var now = clock.GetUtcNow().UtcDateTime;
            List<long> ids;
            IReadOnlyList<(long Id, Prediction? Prediction)> predictions;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                ids = await db.Leads.NextIdsAsync(position, BatchSize, cancellationToken);
                predictions = await PredictAsync(db, model, ids, now, cancellationToken);
            }
            var expected = position;
            var step = await unitOfWork.WriteInBackgroundAsync(async scope =>
            {
                if (!await leases.HoldAsync(scope.Db, JobCode, now, cancellationToken))
                {
                    return (JobProgress?)null;
                }
                var state = await scope.Db.LeadJobRuns.SingleAsync(r => r.Id == run.Id, cancellationToken);
                if (state.FinishedAt is not null || state.LastLeadId != expected)
                {
                    // A newer model's run took over, or another instance moved on meanwhile.
                    return null;
                }
                if (ids.Count == 0)
                {
                    state.FinishedAt = now;
                    state.Total = state.Done;
                    await leases.ReleaseAsync(scope.Db, JobCode, now, cancellationToken);
                    return progress with { Done = state.Done, Total = state.Total, FinishedAt = now };
                }
                await WriteAsync(scope.Db, model.Version, predictions, now, cancellationToken);
                state.LastLeadId = ids[^1];
                state.Done += ids.Count;
                state.Total = Math.Max(state.Total, state.Done);
                return progress with { Done = state.Done, Total = state.Total };
            }, s_maxYield, cancellationToken);

            if (step is null)
            {
                return done;
            }
            Report(progress = step);
            if (ids.Count == 0)
            {
                return done;
            }
            done += ids.Count;
            position = ids[^1];
            if (writeGate.ForegroundWithin(s_ingestWindow))
            {
                await Task.Delay(System.Diagnostics.Stopwatch.GetElapsedTime(batchStarted) * RestBesideIngest, cancellationToken);
            }
        }
    }

    private async Task<int> FollowAsync(ConversionPredictor model, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        JobCursor? cursor;
        List<(long Id, long LeadId)> behaviors;
        List<(long Id, DateTime UpdatedAt)> edited;
        List<(long Id, Prediction? Prediction)> predictions = [];
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cursor = await db.JobCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Job == JobCode, cancellationToken);
            if (cursor is null)
            {
                return 0;
            }
            var afterBehavior = cursor.BehaviorId;
            behaviors = (await db.Behaviors.AsNoTracking()
                    .Where(b => b.Id > afterBehavior && b.LeadId != null)
                    .OrderBy(b => b.Id).Take(FollowSize)
                    .Select(b => new { b.Id, LeadId = b.LeadId!.Value })
                    .ToListAsync(cancellationToken))
                .Select(b => (b.Id, b.LeadId)).ToList();
            var (since, afterLead) = (cursor.LeadUpdatedAt, cursor.LeadId);
            edited = (await db.Leads.AsNoTracking()
                    .Where(l => l.UpdatedAt > since || (l.UpdatedAt == since && l.Id > afterLead))
                    .OrderBy(l => l.UpdatedAt).ThenBy(l => l.Id).Take(FollowSize)
                    .Select(l => new { l.Id, l.UpdatedAt })
                    .ToListAsync(cancellationToken))
                .Select(l => (l.Id, l.UpdatedAt)).ToList();
            var ids = behaviors.Select(b => b.LeadId).Concat(edited.Select(l => l.Id)).Distinct().ToList();
            foreach (var chunk in ids.Chunk(BatchSize))
            {
                predictions.AddRange(await PredictAsync(db, model, chunk, now, cancellationToken));
            }
        }
        if (predictions.Count == 0 && behaviors.Count == 0 && edited.Count == 0)
        {
            return 0;
        }

        var written = await unitOfWork.WriteInBackgroundAsync(async scope =>
        {
            if (!await leases.HoldAsync(scope.Db, JobCode, now, cancellationToken))
            {
                return false;
            }
            var stored = await scope.Db.JobCursors.SingleAsync(c => c.Job == JobCode, cancellationToken);
            if (stored.BehaviorId != cursor.BehaviorId || stored.LeadUpdatedAt != cursor.LeadUpdatedAt || stored.LeadId != cursor.LeadId)
            {
                // Another instance followed these changes, or a model went live and a full run covers them.
                return false;
            }
            foreach (var chunk in predictions.Chunk(BatchSize))
            {
                var moved = await MovedAsync(scope.Db, chunk, cancellationToken);
                await WriteAsync(scope.Db, model.Version, chunk, now, cancellationToken);
                await notifications.AnnounceAsync(scope, moved, cancellationToken);
            }
            if (behaviors.Count > 0)
            {
                stored.BehaviorId = behaviors[^1].Id;
            }
            if (edited.Count > 0)
            {
                (stored.LeadId, stored.LeadUpdatedAt) = edited[^1];
            }
            return true;
        }, s_maxYield, cancellationToken);
        return written ? Math.Max(behaviors.Count, edited.Count) : 0;
    }

    // The leads whose likelihood the predictions change, as score notifications (the score as it stands, no new entry), so
    // their open pages reload what they show; a lead whose prediction stays the same is not announced. Read before the write.
    private static async Task<IReadOnlyList<LeadScoreChanged>> MovedAsync(
        BehaviorPointsDbContext db, IReadOnlyCollection<(long Id, Prediction? Prediction)> predictions, CancellationToken cancellationToken)
    {
        var ids = predictions.Select(p => p.Id).ToList();
        var stored = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id))
            .Select(l => new { l.Id, l.BehaviorPoints, l.IntentLevel, l.ConversionProbability })
            .ToDictionaryAsync(l => l.Id, cancellationToken);
        return [.. predictions
            .Where(p => stored.TryGetValue(p.Id, out var lead) && lead.ConversionProbability != p.Prediction?.Probability)
            .Select(p => stored[p.Id])
            .Select(l => new LeadScoreChanged(l.Id, l.BehaviorPoints, l.IntentLevel))];
    }

    /// <summary>The prediction of each lead among <paramref name="ids"/>: null for one that is closed (or gone).</summary>
    private static async Task<IReadOnlyList<(long Id, Prediction? Prediction)>> PredictAsync(
        BehaviorPointsDbContext db, ConversionPredictor model, IReadOnlyCollection<long> ids, DateTime now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var open = await TrainingData.OpenLeadsAsync(db, ids, now, cancellationToken);
        var openIds = open.Keys.ToList();
        var predicted = model.Predict([.. openIds.Select(id => open[id])]);
        var byId = openIds.Select((id, i) => (id, predicted[i])).ToDictionary(p => p.id, p => p.Item2);
        return ids.Select(id => (id, byId.TryGetValue(id, out var p) ? p : null)).ToList();
    }

    private static async Task WriteAsync(BehaviorPointsDbContext db, int version, IReadOnlyCollection<(long Id, Prediction? Prediction)> predictions, DateTime now, CancellationToken cancellationToken)
    {
        // One statement for the batch's predictions, the same SQL on both providers (VALUES names its columns
        // column1, column2, ... on each); a lead that closed since it was read is left to the next look, which clears it.
        var predicted = predictions.Where(p => p.Prediction is not null).ToList();
        if (predicted.Count > 0)
        {
            var parameters = new List<object>(predicted.Count * 3 + 2) { version, now };
            var rows = new System.Text.StringBuilder();
            foreach (var (id, prediction) in predicted)
            {
                rows.Append(rows.Length == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"({{{parameters.Count}}}, {{{parameters.Count + 1}}}, {{{parameters.Count + 2}}})");
                parameters.Add(id);
                parameters.Add(prediction!.Probability);
                parameters.Add(ConversionFactor.ToJson(prediction.Factors));
            }
            // The VALUES rows hold placeholders only ({2}, {3}, {4}, ...): every value goes in as a parameter.
            var sql = """
                UPDATE "Leads" SET "ConversionProbability" = v.column2, "ConversionFactorsJson" = v.column3, "ConversionModelVersion" = {0}, "PredictedAt" = {1}
                FROM (VALUES 
                """ + rows + """
                ) AS v
                WHERE "Leads"."Id" = v.column1 AND "Leads"."Status" <> 'Converted' AND "Leads"."Status" <> 'Lost'
                """;
            await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
        }
        var cleared = predictions.Where(p => p.Prediction is null).Select(p => p.Id).ToList();
        if (cleared.Count > 0)
        {
            await db.Leads.Where(l => cleared.Contains(l.Id) && (l.ConversionProbability != null || l.ConversionModelVersion != version))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(l => l.ConversionProbability, (double?)null)
                    .SetProperty(l => l.ConversionFactorsJson, (string?)null)
                    .SetProperty(l => l.ConversionModelVersion, version)
                    .SetProperty(l => l.PredictedAt, now), cancellationToken);
        }
    }
}
