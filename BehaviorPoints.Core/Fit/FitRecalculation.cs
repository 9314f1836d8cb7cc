using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Fit;

/// <summary>
/// Recomputes every lead's fit after a fit publish, <see cref="BatchSize"/> leads per transaction behind the write gate
/// so ingest interleaves, resuming after the last committed lead (a <see cref="LeadJob"/>). Leads created or edited
/// meanwhile get the new fit at once; a lead the run reaches later is simply computed again, to the same result.
/// </summary>
public sealed class FitRecalculation(IDbContextFactory<BehaviorPointsDbContext> dbFactory, UnitOfWork unitOfWork, JobLeases leases, PublishedFitModels models, TimeProvider clock)
    : LeadJob(dbFactory, unitOfWork, leases, clock)
{
    public const string JobCode = "fit";
    public const int BatchSize = 500;

    public override string Name => "Fit recompute";

    protected override string Code => JobCode;

    protected override int LeadsPerTransaction => BatchSize;

    protected override async Task ProcessAsync(WriteScope scope, Domain.LeadJobRun run, long firstId, long lastId, DateTime now, CancellationToken cancellationToken)
    {
        // A newer publish during the run: finish with the newest model (its own run would redo these anyway).
        if (await models.CurrentAsync(scope.Db, cancellationToken) is not { } model)
        {
            return;
        }
        foreach (var lead in await scope.Db.Leads.Where(l => l.Id >= firstId && l.Id <= lastId).ToListAsync(cancellationToken))
        {
            lead.ApplyFit(model.Score(lead));
        }
    }
}
